/**
 * Support requests and their timeline. The workflow owns each request; these tables are its
 * durable, queryable projection, written only by idempotent activities.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('support_requests', (t) => {
    t.comment('One row per support request: the latest state projected from its workflow');
    t.text('id').primary().comment('Public request id, derived from the intake key');
    t.text('request_key').notNullable().unique('support_requests_request_key_uq').comment('Intake scope + external reference or Idempotency-Key: a retried registration maps to the same row');
    t.text('workflow_id').notNullable().unique('support_requests_workflow_id_uq').comment('Temporal workflow id of the request');
    t.text('customer_id').comment('Customer the request is for');
    t.text('product_id').comment('Product the request is about');
    t.text('channel').comment('Channel the request came through (catalogue id)');
    t.text('category').comment('Kind of request = the service asked for (catalogue id)');
    t.text('priority').comment('Priority, where the pinned policy has per-priority targets');
    t.text('subject').notNullable().comment('Short summary given at intake');
    t.text('description').comment('Full text given at intake');
    t.text('reporter').comment('Who reported it (representative name or address)');
    t.text('external_ref').comment('The intake system\'s own reference');
    t.text('level').comment('Support level serving the request, pinned at registration');
    t.jsonb('policy').comment('The policy pinned at registration (level, calendar version, targets, alerting)');
    t.text('state').notNullable().comment('Lifecycle state: registered, in_progress, waiting_on_customer, resolved, closed, cancelled');
    t.jsonb('clocks').notNullable().defaultTo('[]').comment('SLA clocks as last reported by the workflow');
    t.text('assignee').comment('Agent the request is assigned to');
    t.text('assignee_group').comment('Group the request is assigned to');
    t.timestamp('registered_at', { useTz: true }).notNullable().comment('When the request was registered (workflow time)');
    t.timestamp('first_response_due_at', { useTz: true }).comment('Due instant of the first-response clock, if regulated');
    t.timestamp('resolution_due_at', { useTz: true }).comment('Due instant of the resolution clock, if regulated and running');
    t.boolean('breached').notNullable().defaultTo(false).comment('Whether any clock has breached');
    t.integer('revision').notNullable().comment('Monotonic revision from the workflow; older writes never overwrite newer ones');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When this row was last written');
    t.index(['state'], 'support_requests_state_idx');
    t.index(['customer_id', 'registered_at'], 'support_requests_customer_idx');
  });

  await knex.schema.createTable('request_events', (t) => {
    t.comment('Append-only timeline of a request; (request_id, seq) makes retried writes no-ops');
    t.text('request_id').notNullable().references('id').inTable('support_requests').onDelete('CASCADE').comment('The request');
    t.integer('seq').notNullable().comment('Position in the request timeline, assigned by the workflow');
    t.text('type').notNullable().comment('Event type, e.g. registered, responded, first_response_breached');
    t.timestamp('occurred_at', { useTz: true }).notNullable().comment('When it happened (workflow time)');
    t.text('actor').comment('Who did it (agent, customer, system)');
    t.jsonb('data').notNullable().defaultTo('{}').comment('Event details');
    t.primary(['request_id', 'seq'], { constraintName: 'request_events_pk' });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('request_events');
  await knex.schema.dropTable('support_requests');
};
