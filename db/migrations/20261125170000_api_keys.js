/**
 * API keys: every route but health and docs needs one. A key is shown once, when created;
 * only a hash of its secret is stored.
 *
 * The secret is 32 random bytes, so a fast hash (SHA-256) is enough: slow password hashes
 * (bcrypt, scrypt, argon2) exist to make guessing low-entropy passwords expensive, and there is
 * nothing to guess here. The API compares hashes with `crypto.timingSafeEqual`.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('api_keys', (t) => {
    t.comment('API keys of the integrations and people calling the API; secrets are stored only as SHA-256 hashes');
    t.text('id').primary({ constraintName: 'api_keys_pk' }).comment('Key id, e.g. key_…; the part of the key string that finds this row');
    t.text('name').notNullable().comment('What the key is for, e.g. "CRM intake" or "Acme portal"');
    t.text('role').notNullable().comment('intake, agent, operations or admin: what the key may do');
    t.text('customer_scope').comment("Customer id the key is limited to (a customer's own integration); null for vendor-wide keys");
    t.text('secret_hash').notNullable().comment('SHA-256 of the secret part, hex; compared in constant time');
    t.text('prefix').notNullable().comment('The first characters of the key, shown to operators to recognise it');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When the key was created');
    t.text('created_by').notNullable().comment('Id of the admin key that created it (env:ADMIN_API_KEY for the bootstrap key)');
    t.timestamp('last_used_at', { useTz: true }).comment('Roughly when the key was last used (updated at most once a minute per API process)');
    t.timestamp('revoked_at', { useTz: true }).comment('When the key was revoked; a revoked key is refused');
    t.unique(['secret_hash'], { indexName: 'api_keys_secret_hash_uq' });
    t.index(['customer_scope'], 'api_keys_customer_scope_idx');
    t.check("role in ('intake', 'agent', 'operations', 'admin')", [], 'api_keys_role_ck');
    t.check("role <> 'admin' or customer_scope is null", [], 'api_keys_admin_unscoped_ck');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('api_keys');
};
