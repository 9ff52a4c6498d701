/**
 * Idempotency keys of agent and customer actions (`POST /v1/requests/:id/<action>` with an
 * `Idempotency-Key` header): one row per (caller namespace, request, key).
 *
 * The API claims the row (insert … on conflict do nothing) before it sends the action's Temporal
 * Update, whose Update ID it derives from the same three values: while the workflow run lasts,
 * Temporal itself runs that Update once, however many API processes send it. The row adds what
 * Temporal cannot know: the action and body the key was first used with (a retry with another
 * one is refused, naming the differing fields), and the outcome once known (`applied` with the
 * status answered, or `refused` with the problem answered), so a retry after the workflow
 * continued as new (Update IDs are per run) or after a refusal answers the same without sending
 * the action again.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('request_action_keys', (t) => {
    t.comment('Idempotency-Key of each keyed agent or customer action, with its first body and its outcome');
    t.text('namespace').notNullable().comment("Whose key it is: 'key:<api key id>' or 'source:<intake source>' (the registration's namespaces)");
    t.text('request_id').notNullable().comment('The request acted on');
    t.text('idempotency_key').notNullable().comment('The Idempotency-Key header as sent');
    t.text('action').notNullable().comment('The action: the last path segment, e.g. responses, resolve');
    t.jsonb('fingerprint').notNullable().comment('{ action, fields }: a SHA-256 digest of each parsed body field of the first attempt, which a retry must repeat');
    t.text('update_id').notNullable().comment('The Temporal Update ID derived from namespace, request and key');
    t.timestamp('claimed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When the first attempt claimed the key (before it sent the Update)');
    t.text('claimed_by_key_id').comment('API key of the first attempt');
    t.text('outcome').comment("null while unknown (in flight, or its API process died); 'applied' or 'refused'");
    t.integer('answer_status').comment('HTTP status of the answer (applied: 200, or 201 for a follow-up; refused: the 4xx)');
    t.text('answer_request_id').comment('The request the answer shows (this one, or the follow-up a customer reply registered)');
    t.jsonb('refusal').comment('The problem answered for a refusal: { status, title, detail, extra }');
    t.timestamp('decided_at', { useTz: true }).comment('When the outcome was recorded');
    t.primary(['namespace', 'request_id', 'idempotency_key'], { constraintName: 'request_action_keys_pk' });
    t.check("outcome is null or outcome in ('applied', 'refused')", [], 'request_action_keys_outcome_ck');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('request_action_keys');
};
