/**
 * Every index on support_requests is written by every projection write and stored per row.
 * Three did more than their queries need:
 *
 * - `support_requests_state_idx (state)` duplicates the leading column of
 *   `support_requests_state_registered_idx (state, registered_at, id)`: dropped.
 * - `follow_up_of` and `assignee` are null for most requests, and are only ever looked up by
 *   value: their indexes become partial (`where … is not null`), so unassigned and first-time
 *   requests cost nothing in them.
 *
 * Built CONCURRENTLY (outside a transaction), the new index before the old one is dropped.
 *
 * @param {import('knex').Knex} knex
 */
exports.config = { transaction: false };

exports.up = async function up(knex) {
  await knex.raw('create index concurrently if not exists support_requests_follow_up_of_set_idx on support_requests (follow_up_of) where follow_up_of is not null');
  await knex.raw('drop index concurrently if exists support_requests_follow_up_of_idx');
  await knex.raw('create index concurrently if not exists support_requests_assignee_set_idx on support_requests (assignee) where assignee is not null');
  await knex.raw('drop index concurrently if exists support_requests_assignee_idx');
  await knex.raw('drop index concurrently if exists support_requests_state_idx');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('create index concurrently if not exists support_requests_state_idx on support_requests (state)');
  await knex.raw('create index concurrently if not exists support_requests_assignee_idx on support_requests (assignee)');
  await knex.raw('drop index concurrently if exists support_requests_assignee_set_idx');
  await knex.raw('create index concurrently if not exists support_requests_follow_up_of_idx on support_requests (follow_up_of)');
  await knex.raw('drop index concurrently if exists support_requests_follow_up_of_set_idx');
};
