/**
 * While a request waits on the customer, when the customer is reminded and when the request
 * resolves itself without a reply: projected so that reading a request from PostgreSQL (every
 * GET, and every action's answer) shows them. Null otherwise, and on rows written before this
 * migration until the request next changes them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('support_requests', (t) => {
    t.timestamp('remind_customer_at', { useTz: true }).nullable().comment('Waiting on the customer: when the customer is reminded');
    t.timestamp('auto_resolve_at', { useTz: true }).nullable().comment('Waiting on the customer: when the request resolves itself without a reply');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('support_requests', (t) => {
    t.dropColumn('auto_resolve_at');
    t.dropColumn('remind_customer_at');
  });
};
