/**
 * The notification directory over the API (issue 11, item 9): people and teams, each change
 * audited with the API key that made it.
 *
 * - `kind`: "person" (an agent, a team lead, the head of support; an agent's id is the id the
 *   requests' `assignee` names, so "assignee" resolves to them) or "team" (a shared mailbox or a
 *   team's webhook).
 * - `created_by_*` / `updated_by_*`: the key that wrote the row (null for rows written by SQL before).
 * - `notification_recipient_changes`: append-only trail of every create, replace and delete, with
 *   the entry as it was written (null for a delete).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('notification_recipients', (t) => {
    t.text('kind').notNullable().defaultTo('person').comment('"person" or "team"');
    t.text('created_by_key_id').comment('API key that created the entry; null when written by SQL');
    t.text('created_by_role').comment('Role of that key at the time');
    t.text('updated_by_key_id').comment('API key that last replaced the entry');
    t.text('updated_by_role').comment('Role of that key at the time');
    t.check("kind in ('person', 'team')", [], 'notification_recipients_kind_ck');
  });
  await knex.schema.createTable('notification_recipient_changes', (t) => {
    t.comment('Audit trail of the notification directory: every change made over the API, with the key that made it');
    t.bigIncrements('seq').comment('Order of the changes');
    t.text('recipient_id').notNullable().comment('The directory entry changed (not a foreign key: deleted entries keep their trail)');
    t.text('action').notNullable().checkIn(['created', 'replaced', 'deleted'], 'notification_recipient_changes_action_ck').comment('created, replaced or deleted');
    t.text('by_key_id').notNullable().comment('The API key that made the change');
    t.text('by_role').notNullable().comment('Its role at the time');
    t.jsonb('entry').comment('The entry as written (API shape); null for a delete');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When the change was committed');
    t.index(['recipient_id', 'seq'], 'notification_recipient_changes_recipient_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('notification_recipient_changes');
  await knex.schema.alterTable('notification_recipients', (t) => {
    t.dropChecks(['notification_recipients_kind_ck']);
    t.dropColumns('kind', 'created_by_key_id', 'created_by_role', 'updated_by_key_id', 'updated_by_role');
  });
};
