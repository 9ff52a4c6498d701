/**
 * The board's partial index covers every open state: a request waiting on a third party (handed
 * to the developers, a vendor) is still open, its clocks may run, and the board shows it by
 * default. The index built with the screen (20261201300000) predates that state.
 *
 * Built CONCURRENTLY under a new name, then the old one dropped, so the board never goes without
 * an index and a release does not block the projection writes.
 *
 * @param {import('knex').Knex} knex
 */
exports.config = { transaction: false };

const ORDER = '(breached desc, next_due_at asc nulls last, registered_at asc, id asc)';

exports.up = async function up(knex) {
  await knex.raw(`
    create index concurrently if not exists support_requests_board_open_idx on support_requests ${ORDER}
      where state in ('registered', 'in_progress', 'waiting_on_customer', 'waiting_on_third_party')
  `);
  await knex.raw('drop index concurrently if exists support_requests_board_idx');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw(`
    create index concurrently if not exists support_requests_board_idx on support_requests ${ORDER}
      where state in ('registered', 'in_progress', 'waiting_on_customer')
  `);
  await knex.raw('drop index concurrently if exists support_requests_board_open_idx');
};
