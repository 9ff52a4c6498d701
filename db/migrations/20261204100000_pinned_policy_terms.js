/**
 * A request's pinned policy was stored whole in its row: about 1.1 KB of a 1.9 KB row, most of it
 * terms that every request of the same level, contract and priority shares (level name, targets,
 * warnings, escalation ladder, lifecycle terms, channels, services, reasons). PostgreSQL does not
 * compress a row this small, and compression would not help: pglz shrinks the policy's jsonb by
 * under 1 % (measured on 1000 bench rows).
 *
 * The intake claim (`request_intake`) held another whole copy. From now on both keep the fields
 * that are the request's own (db/queries/policy-terms.ts) and a digest of the rest, stored once
 * here. Rows written before keep their whole policy, and readers take both: nothing is rewritten.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('pinned_policy_terms', (t) => {
    t.comment('The shared terms of pinned policies, once per distinct terms; a request row names them by digest (policy.termsRef)');
    t.text('digest').primary().comment('sha-256 of the terms as canonical JSON, base64url');
    t.jsonb('terms').notNullable().comment('The pinned policy without the fields its request keeps in its own row');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
};

/** Puts every row's whole policy back first, so the rows no longer need the table. @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of ['support_requests', 'request_intake']) {
    await knex.raw(
      `update ${table} r set policy = t.terms || (r.policy - 'termsRef')
         from pinned_policy_terms t where t.digest = r.policy->>'termsRef'`,
    );
  }
  await knex.schema.dropTable('pinned_policy_terms');
};
