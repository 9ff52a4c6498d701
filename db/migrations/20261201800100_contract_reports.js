/**
 * Periodic contract reports (issue 11, item 7): a contract's reporting terms (period and
 * recipients; its Temporal Schedule is `contract-report-<contract id>`), the reports produced,
 * and an optional attachment on outbox rows (the report's CSV on its e-mail).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('contract_reporting', (t) => {
    t.comment('Periodic report terms of an individual contract; a Temporal Schedule per row runs the report');
    t.text('contract_id').primary().references('id').inTable('contracts').withKeyName('contract_reporting_contract_fk').comment('The contract');
    t.text('period').notNullable().checkIn(['month', 'quarter'], 'contract_reporting_period_ck').comment('month or quarter');
    t.jsonb('recipients').notNullable().comment('Who receives each report: [{ name, email?, webhookUrl? }]');
    t.text('schedule_id').notNullable().comment('The Temporal Schedule that produces the reports');
    t.text('timezone').notNullable().comment("The contract calendar's time zone the schedule runs in");
    t.text('updated_by_key_id').notNullable().comment('API key that last set the terms');
    t.text('updated_by_role').notNullable().comment('Its role then');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When the terms were last set');
  });
  await knex.schema.createTable('contract_reports', (t) => {
    t.comment('Reports produced for individual contracts, one per contract, period kind and period');
    t.bigIncrements('id').comment('Report id');
    t.text('contract_id').notNullable().comment('The contract (not a foreign key: reports outlive removed reporting terms)');
    t.text('period').notNullable().comment('month or quarter');
    t.date('period_from').notNullable().comment('First day of the period (contract calendar zone)');
    t.date('period_to').notNullable().comment('Last day of the period');
    t.integer('request_count').notNullable().comment('Requests registered under the contract in the period');
    t.jsonb('report').notNullable().comment('The report (domain ContractReport)');
    t.text('csv').notNullable().comment('The report as CSV, as attached to its e-mail');
    t.timestamp('generated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When it was produced');
    t.unique(['contract_id', 'period', 'period_from'], { indexName: 'contract_reports_period_uq' });
  });
  await knex.schema.alterTable('notification_outbox', (t) => {
    t.jsonb('attachment').comment('An e-mail attachment { filename, contentType, content } (e.g. a report CSV); null for none');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('notification_outbox', (t) => t.dropColumn('attachment'));
  await knex.schema.dropTable('contract_reports');
  await knex.schema.dropTable('contract_reporting');
};
