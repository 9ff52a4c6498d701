/**
 * Policy facts: the records the support policy (domain/policy/facts.ts) decides from —
 * products, sales offices, customers and their representatives, licences, update-package
 * purchases, pilot periods and individual contracts.
 *
 * Ids are text supplied by the caller (the intake system's or CRM's own ids), so a retried
 * create finds the row it wrote. Dates are `date` columns holding Moscow calendar dates, and
 * every interval is inclusive at both ends, as in the domain.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('products', (t) => {
    t.comment('Software products the vendor supports (domain Product)');
    t.text('id').primary({ constraintName: 'products_pk' }).comment("The product id, supplied by the caller (the vendor's own id)");
    t.text('name').notNullable().comment('Product name shown to people');
    t.text('kind').notNullable().comment('"free" (freely distributed: initial support only) or "commercial"');
    t.date('support_withdrawn_from').comment('First Moscow day on which the product is no longer supported; null while supported');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When this record was first written');
    t.check("kind in ('free', 'commercial')", [], 'products_kind_ck');
  });

  await knex.schema.createTable('sales_offices', (t) => {
    t.comment('Sales offices and partners giving initial support on their own schedule (domain SalesOffice)');
    t.text('id').primary({ constraintName: 'sales_offices_pk' }).comment('The office id, supplied by the caller');
    t.text('name').notNullable().comment('Office name shown to people');
    t.text('operator').notNullable().comment('"supplier" (the vendor\'s own office) or "partner"');
    t.text('calendar_id').notNullable().comment('Working calendar of the office, e.g. "office-moscow"; runs the clocks of initial-level requests');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When this record was first written');
    t.check("operator in ('supplier', 'partner')", [], 'sales_offices_operator_ck');
  });

  await knex.schema.createTable('customers', (t) => {
    t.comment('Customers (organisations or people) support is given to (domain Customer)');
    t.text('id').primary({ constraintName: 'customers_pk' }).comment('The customer id, supplied by the caller (the CRM id)');
    t.text('name').notNullable().comment('Customer name shown to people');
    t.text('office_id')
      .references('id')
      .inTable('sales_offices')
      .withKeyName('customers_office_fk')
      .comment("The sales office serving the customer: the default office of the customer's initial-level requests");
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When this record was first written');
    t.index(['office_id'], 'customers_office_idx');
  });

  await knex.schema.createTable('representatives', (t) => {
    t.comment('People allowed to raise requests for a customer (domain Representative); ids are unique per customer');
    t.text('customer_id').notNullable().references('id').inTable('customers').withKeyName('representatives_customer_fk').comment('The customer represented');
    t.text('id').notNullable().comment('The representative id, supplied by the caller, unique within the customer');
    t.text('name').notNullable().comment('Full name');
    t.text('role').comment('Position or role at the customer');
    t.text('email').comment('E-mail address');
    t.text('phone').comment('Phone number');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When this record was first written');
    t.primary(['customer_id', 'id'], { constraintName: 'representatives_pk' });
  });

  await knex.schema.createTable('licenses', (t) => {
    t.comment('Licences of a product held by a customer (domain License): basic support, and a warranty year from purchase');
    t.text('id').primary({ constraintName: 'licenses_pk' }).comment('The licence id, supplied by the caller');
    t.text('customer_id').notNullable().references('id').inTable('customers').withKeyName('licenses_customer_fk').comment('The licensee');
    t.text('product_id').notNullable().references('id').inTable('products').withKeyName('licenses_product_fk').comment('The licensed product');
    t.date('purchased_on').notNullable().comment('Moscow day of purchase: the licence is valid from this day and starts a warranty year');
    t.date('valid_through').comment('Last valid Moscow day of a term licence; null for a perpetual licence');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When this record was first written');
    t.index(['customer_id', 'product_id'], 'licenses_customer_product_idx');
    t.index(['product_id'], 'licenses_product_idx');
    t.check('valid_through is null or valid_through >= purchased_on', [], 'licenses_period_ck');
  });

  await knex.schema.createTable('update_purchases', (t) => {
    t.comment('Update packages bought for a licensed product (domain UpdatePackagePurchase): each starts a new warranty year');
    t.text('id').primary({ constraintName: 'update_purchases_pk' }).comment('The purchase id, supplied by the caller');
    t.text('customer_id').notNullable().references('id').inTable('customers').withKeyName('update_purchases_customer_fk').comment('The buyer');
    t.text('product_id').notNullable().references('id').inTable('products').withKeyName('update_purchases_product_fk').comment('The product updated');
    t.date('purchased_on').notNullable().comment('Moscow day of purchase: the warranty year starts on it');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When this record was first written');
    t.index(['customer_id', 'product_id'], 'update_purchases_customer_product_idx');
    t.index(['product_id'], 'update_purchases_product_idx');
  });

  await knex.schema.createTable('pilots', (t) => {
    t.comment('Pilot (trial) operation periods, supported on warranty terms (domain PilotPeriod)');
    t.text('id').primary({ constraintName: 'pilots_pk' }).comment('The pilot id, supplied by the caller');
    t.text('customer_id').notNullable().references('id').inTable('customers').withKeyName('pilots_customer_fk').comment('The customer running the pilot');
    t.date('starts_on').notNullable().comment('First Moscow day of the pilot (domain "from")');
    t.date('ends_on').notNullable().comment('Last Moscow day of the pilot, inclusive (domain "to")');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When this record was first written');
    t.index(['customer_id', 'starts_on'], 'pilots_customer_idx');
    t.check('ends_on >= starts_on', [], 'pilots_period_ck');
  });

  await knex.schema.createTable('pilot_products', (t) => {
    t.comment('The products a pilot covers (domain PilotPeriod.productIds), at least one per pilot');
    t.text('pilot_id').notNullable().references('id').inTable('pilots').onDelete('CASCADE').withKeyName('pilot_products_pilot_fk').comment('The pilot');
    t.text('product_id').notNullable().references('id').inTable('products').withKeyName('pilot_products_product_fk').comment('A product piloted');
    t.integer('position').notNullable().comment('Position in the pilot\'s product list, from 0 (keeps the order given)');
    t.primary(['pilot_id', 'product_id'], { constraintName: 'pilot_products_pk' });
    t.unique(['pilot_id', 'position'], { indexName: 'pilot_products_position_uq' });
    t.index(['product_id'], 'pilot_products_product_idx');
  });

  await knex.schema.createTable('contracts', (t) => {
    t.comment('Individual support contracts with their SLA terms (domain IndividualContract)');
    t.text('id').primary({ constraintName: 'contracts_pk' }).comment('The contract id, supplied by the caller (the contract number)');
    t.text('customer_id').notNullable().references('id').inTable('customers').withKeyName('contracts_customer_fk').comment('The customer served');
    t.text('counterparty_kind').notNullable().comment('Who signed for the vendor: "regional-office", "dealer" or "central-service"');
    t.text('counterparty_name').notNullable().comment('Name of the signing office, dealer or service');
    t.date('starts_on').notNullable().comment('First Moscow day of the contract (domain "from")');
    t.date('ends_on').notNullable().comment('Last Moscow day of the contract, inclusive (domain "to")');
    t.jsonb('sla')
      .notNullable()
      .comment('The SLA terms as validated by the domain ContractSlaSchema: calendarId, targets (single or per priority), channels, services, dedicatedEngineer, escalationContacts, quota');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When this record was first written');
    t.index(['customer_id', 'starts_on', 'ends_on'], 'contracts_customer_period_idx');
    t.check("counterparty_kind in ('regional-office', 'dealer', 'central-service')", [], 'contracts_counterparty_kind_ck');
    t.check('ends_on >= starts_on', [], 'contracts_period_ck');
    t.check("jsonb_typeof(sla) = 'object' and jsonb_typeof(sla->'calendarId') = 'string' and jsonb_typeof(sla->'targets') = 'object'", [], 'contracts_sla_ck');
  });

  await knex.schema.createTable('contract_products', (t) => {
    t.comment('The products a contract is limited to (domain IndividualContract.productIds); no rows = every product of the customer');
    t.text('contract_id').notNullable().references('id').inTable('contracts').onDelete('CASCADE').withKeyName('contract_products_contract_fk').comment('The contract');
    t.text('product_id').notNullable().references('id').inTable('products').withKeyName('contract_products_product_fk').comment('A product covered');
    t.integer('position').notNullable().comment('Position in the contract\'s product list, from 0 (keeps the order given)');
    t.primary(['contract_id', 'product_id'], { constraintName: 'contract_products_pk' });
    t.unique(['contract_id', 'position'], { indexName: 'contract_products_position_uq' });
    t.index(['product_id'], 'contract_products_product_idx');
  });

  // Contract quotas count the requests registered under a contract in a period.
  await knex.raw(
    `create index support_requests_policy_contract_idx on support_requests ((policy->>'contractId'), registered_at) where (policy->>'contractId') is not null`,
  );
  await knex.raw(`comment on index support_requests_policy_contract_idx is 'Requests per contract and registration time, for contract request quotas'`);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('drop index if exists support_requests_policy_contract_idx');
  for (const table of ['contract_products', 'contracts', 'pilot_products', 'pilots', 'update_purchases', 'licenses', 'representatives', 'customers', 'sales_offices', 'products']) {
    await knex.schema.dropTable(table);
  }
};
