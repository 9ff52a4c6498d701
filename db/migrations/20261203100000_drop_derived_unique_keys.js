/**
 * Three unique keys guarded what the primary keys already guarantee, and cost every row an
 * entry in each (and every projection write that moves a row to a new version another):
 *
 * - `support_requests.request_key` and `request_intake.request_key`: a request's id is a digest of
 *   its key (services/registration/identity.ts), so one key names one id, which the primary keys
 *   make unique. The claim of a key is `request_intake_key_uq`, untouched.
 * - `support_requests.workflow_id`: the workflow id is the request id with a prefix
 *   (domain/request/workflow-id.ts).
 *
 * Nothing looks a row up by these columns. Together the three were about 5 MiB per 10,000
 * requests (`npm run bench`, the timers phase's PostgreSQL line and the index sizes).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw('alter table support_requests drop constraint if exists support_requests_request_key_uq');
  await knex.raw('alter table support_requests drop constraint if exists support_requests_workflow_id_uq');
  await knex.raw('alter table request_intake drop constraint if exists request_intake_request_key_uq');
  // Created as plain unique indexes on some databases: either way they go.
  await knex.raw('drop index if exists support_requests_request_key_uq');
  await knex.raw('drop index if exists support_requests_workflow_id_uq');
  await knex.raw('drop index if exists request_intake_request_key_uq');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('alter table support_requests add constraint support_requests_request_key_uq unique (request_key)');
  await knex.raw('alter table support_requests add constraint support_requests_workflow_id_uq unique (workflow_id)');
  await knex.raw('alter table request_intake add constraint request_intake_request_key_uq unique (request_key)');
};
