/**
 * Rate-limit counters shared by every API process: one row per bucket (a limit policy and a
 * key id or client address) holding the hits of its current fixed window. A request costs one
 * atomic `INSERT … ON CONFLICT DO UPDATE … RETURNING` (db/queries/rate-limits.ts).
 *
 * UNLOGGED: counters are worth nothing after a crash (they only say how many requests arrived
 * this minute), so they skip the write-ahead log; PostgreSQL empties the table after a crash,
 * which at worst grants a fresh window.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(`
    create unlogged table rate_limit_counters (
      bucket text not null constraint rate_limit_counters_pk primary key,
      window_start timestamptz not null,
      hits integer not null constraint rate_limit_counters_hits_ck check (hits > 0)
    )`);
  await knex.raw("comment on table rate_limit_counters is 'Hits per rate-limit bucket in its current fixed window, shared by all API processes'");
  await knex.raw("comment on column rate_limit_counters.bucket is 'Limit policy and who is counted, e.g. 600/60s:key:key_… or 600/60s:ip:203.0.113.7'");
  await knex.raw("comment on column rate_limit_counters.window_start is 'Start of the window the hits belong to (database clock)'");
  await knex.raw("comment on column rate_limit_counters.hits is 'Requests counted in that window'");
  await knex.raw('create index rate_limit_counters_window_idx on rate_limit_counters (window_start)');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('drop table rate_limit_counters');
};
