/**
 * When a request reached the desk, if intake registered it later (`receivedAt`): its clocks
 * start there. Null for requests received when registered (all rows before this release).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('support_requests', (t) => {
    t.timestamp('received_at', { useTz: true }).nullable().comment('Receipt given by intake when earlier than registered_at; the clocks start here');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('support_requests', (t) => {
    t.dropColumn('received_at');
  });
};
