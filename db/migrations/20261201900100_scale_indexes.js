/**
 * Indexes for the queries that grow with the data (a year of closed requests stays for the
 * reports): measured by `npm run bench` (BENCH_CLOSED_COUNT closed requests, bench/queries.bench.ts).
 *
 * - /metrics counts warnings and breaches over the whole timeline: a partial index on just those
 *   event types answers the count from the index (index-only scan), not the whole table.
 * - The operations list pages newest first on (registered_at, id), optionally by state or
 *   breached; the SLA report selects a registered_at range.
 *
 * Built CONCURRENTLY (outside a transaction) so a release does not block the projection writes
 * on a large table.
 *
 * @param {import('knex').Knex} knex
 */
exports.config = { transaction: false };

exports.up = async function up(knex) {
  await knex.raw(`create index concurrently if not exists request_events_sla_alarms_idx on request_events (type) where type in ('sla_warning', 'sla_breached')`);
  await knex.raw('create index concurrently if not exists support_requests_registered_idx on support_requests (registered_at, id)');
  await knex.raw('create index concurrently if not exists support_requests_state_registered_idx on support_requests (state, registered_at, id)');
  await knex.raw('create index concurrently if not exists support_requests_breached_registered_idx on support_requests (registered_at, id) where breached');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const name of ['support_requests_breached_registered_idx', 'support_requests_state_registered_idx', 'support_requests_registered_idx', 'request_events_sla_alarms_idx']) {
    await knex.raw(`drop index concurrently if exists ${name}`);
  }
};
