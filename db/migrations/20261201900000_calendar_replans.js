/**
 * Durable re-plans (services/calendars/replan.ts, workflows/replan-calendar.ts): one row per
 * (calendar, version) re-plan with its status, and one row per open request it has to move.
 *
 * The targets are selected once, when the re-plan starts, so progress is exact (total, done,
 * failed) whatever registers or closes meanwhile, and a page that is retried after a worker
 * crash resends only the Updates whose outcome was not recorded. Rows of re-planned requests
 * are deleted when the re-plan finishes; failed ones stay with their reason.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(`
    create table calendar_replans (
      calendar_id text not null,
      version_id text not null,
      workflow_id text not null,
      author text not null,
      status text not null default 'running' constraint calendar_replans_status_ck check (status in ('running', 'finished')),
      total integer not null default 0,
      replanned integer not null default 0,
      already_finished integer not null default 0,
      failed integer not null default 0,
      started_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      finished_at timestamptz,
      constraint calendar_replans_pk primary key (calendar_id, version_id)
    )`);
  await knex.raw("comment on table calendar_replans is 'One re-plan of the open requests of a calendar onto a new version, and its progress'");
  await knex.raw(`
    create table calendar_replan_targets (
      calendar_id text not null,
      version_id text not null,
      seq integer not null,
      request_id text not null,
      workflow_id text not null,
      outcome text constraint calendar_replan_targets_outcome_ck check (outcome in ('replanned', 'finished', 'failed')),
      reason text,
      message text,
      constraint calendar_replan_targets_pk primary key (calendar_id, version_id, seq),
      constraint calendar_replan_targets_replan_fk foreign key (calendar_id, version_id) references calendar_replans (calendar_id, version_id) on delete cascade
    )`);
  await knex.raw("comment on table calendar_replan_targets is 'The open requests a re-plan moves; outcome null while pending'");
  await knex.raw('create index calendar_replan_targets_pending_idx on calendar_replan_targets (calendar_id, version_id, seq) where outcome is null');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('drop table calendar_replan_targets');
  await knex.raw('drop table calendar_replans');
};
