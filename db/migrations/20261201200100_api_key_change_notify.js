/**
 * Every change to an API key row (a revoke above all, also a delete or an edit by hand) sends
 * `NOTIFY api_key_changed, '<key id>'` when its transaction commits. Each API process LISTENs
 * on a dedicated connection and drops that key from its cache, so a revoke takes effect on
 * every process within about a second, not after the cache time (api/auth/key-events.ts).
 * A trigger, not the API's revoke query, so that no way of changing a key can miss it; it
 * ignores `last_used_at` (written once a minute per key and process), which changes nothing a
 * cache holds.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(`
    create function api_keys_notify_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('api_key_changed', coalesce(new.id, old.id));
      return null;
    end
    $$`);
  await knex.raw(`
    create trigger api_keys_notify_change_trg
      after update of revoked_at, role, customer_scope, intake_source, secret_hash, name or delete on api_keys
      for each row execute function api_keys_notify_change()`);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('drop trigger api_keys_notify_change_trg on api_keys');
  await knex.raw('drop function api_keys_notify_change()');
};
