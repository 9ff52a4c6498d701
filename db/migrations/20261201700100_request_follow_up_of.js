/**
 * A request registered because the customer wrote back after an earlier request's reopen window
 * ended: it names that request (`followUpOf`). Null for every other request.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('support_requests', (t) => {
    t.text('follow_up_of').nullable().comment('The closed request this one follows up (a customer reply after its reopen window)');
    t.index(['follow_up_of'], 'support_requests_follow_up_of_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('support_requests', (t) => {
    t.dropIndex(['follow_up_of'], 'support_requests_follow_up_of_idx');
    t.dropColumn('follow_up_of');
  });
};
