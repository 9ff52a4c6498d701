/**
 * The full request lifecycle in the projection: which calendar version the clocks run on
 * (re-plans find open requests by calendar), resolution and closure instants, reopen counts,
 * per-clock breach flags and the earliest running deadline, for the operations filters.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('support_requests', (t) => {
    t.text('calendar_id').comment('Calendar the SLA clocks run on (pinned at registration)');
    t.text('calendar_version_id').comment('Calendar version currently in use (changes only by a re-plan)');
    t.timestamp('resolved_at', { useTz: true }).comment('When the request was last resolved');
    t.timestamp('auto_close_at', { useTz: true }).comment('When a resolved request closes itself unless reopened');
    t.timestamp('closed_at', { useTz: true }).comment('When the request was closed (by an agent or automatically)');
    t.timestamp('reopen_until', { useTz: true }).comment('Until when a closed request can still be reopened');
    t.integer('reopen_count').notNullable().defaultTo(0).comment('How often the request was reopened');
    t.text('cancel_reason').comment('duplicate, spam or withdrawn, for cancelled requests');
    t.boolean('first_response_breached').notNullable().defaultTo(false).comment('The first-response target was breached');
    t.boolean('resolution_breached').notNullable().defaultTo(false).comment('The resolution target was breached');
    t.boolean('at_risk').notNullable().defaultTo(false).comment('A warning fired on a running clock that has not breached yet');
    t.timestamp('next_due_at', { useTz: true }).comment('Earliest due instant of a running, unbreached clock');
    t.index(['calendar_id', 'state'], 'support_requests_calendar_state_idx');
    t.index(['state', 'next_due_at'], 'support_requests_state_due_idx');
    t.index(['assignee'], 'support_requests_assignee_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('support_requests', (t) => {
    t.dropIndex([], 'support_requests_assignee_idx');
    t.dropIndex([], 'support_requests_state_due_idx');
    t.dropIndex([], 'support_requests_calendar_state_idx');
    for (const c of ['calendar_id', 'calendar_version_id', 'resolved_at', 'auto_close_at', 'closed_at', 'reopen_until', 'reopen_count', 'cancel_reason', 'first_response_breached', 'resolution_breached', 'at_risk', 'next_due_at']) t.dropColumn(c);
  });
};
