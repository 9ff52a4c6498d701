/**
 * The desk's screen: browser sessions and live updates.
 *
 * - `ui_sessions`: a signed-in browser. The cookie carries a random token; only its SHA-256 is
 *   stored, so a database read does not yield usable cookies. Sessions live in PostgreSQL so
 *   every API process honours them and a sign-out (row deleted) holds everywhere at once.
 * - A partial index in the board's order over the open requests.
 * - A trigger on `support_requests` sends `NOTIFY sla_request_changed` with the request id and
 *   customer for every inserted or changed row. It is only a nudge: each API process LISTENs
 *   once and tells its browsers to re-read through the API with their own key's scope.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ui_sessions', (t) => {
    t.comment('Signed-in browsers of the screen: an API key exchanged for a short-lived session cookie');
    t.text('token_hash').primary().comment('SHA-256 (hex) of the random session token in the cookie');
    t.text('key_id').notNullable().comment('The API key signed in with (api_keys.id, or env:ADMIN_API_KEY); its role and scope apply');
    t.text('csrf_token').notNullable().comment('Anti-CSRF token the page must echo in X-CSRF-Token on state-changing requests');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('Sign-in instant');
    t.timestamp('expires_at', { useTz: true }).notNullable().comment('Idle expiry, pushed forward by use up to max_expires_at');
    t.timestamp('max_expires_at', { useTz: true }).notNullable().comment('Absolute expiry: sign in again after this');
    t.index(['expires_at'], 'ui_sessions_expires_idx');
    t.index(['key_id'], 'ui_sessions_key_idx');
  });

  // The board's order over the open requests: its first page is an index scan, not a sort.
  await knex.raw(`
    create index support_requests_board_idx on support_requests (breached desc, next_due_at asc nulls last, registered_at asc, id asc)
      where state in ('registered', 'in_progress', 'waiting_on_customer')
  `);
  await knex.raw(`
    create or replace function notify_request_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('sla_request_changed', json_build_object('id', new.id, 'customerId', new.customer_id)::text);
      return null;
    end $$;
  `);
  await knex.raw(`
    create trigger support_requests_notify_changed
      after insert or update on support_requests
      for each row execute function notify_request_changed();
  `);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('drop trigger if exists support_requests_notify_changed on support_requests');
  await knex.raw('drop function if exists notify_request_changed()');
  await knex.raw('drop index if exists support_requests_board_idx');
  await knex.schema.dropTable('ui_sessions');
};
