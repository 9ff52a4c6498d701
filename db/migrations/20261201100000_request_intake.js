/**
 * Registration made all-or-nothing and idempotency scoped to its caller (issue 15, findings 3-5, 7).
 *
 * - `request_intake`: one row per request, the intake key that names it. The key is scoped by
 *   the caller's namespace (its API key, or the intake source several keys share) and the
 *   customer, so two intake systems or two customers never land on each other's requests. The
 *   row keeps the normalised input of the first registration (`fingerprint`): a replay with
 *   other content is refused, naming the fields. The API writes it before it starts the workflow
 *   (it is also the quota slot the registration holds) and deletes it again if the start fails.
 * - Existing requests keep their ids: each gets a row in a `legacy:` namespace named after the
 *   old scope (`legacy:unscoped` or `legacy:customer:<id>`), and a fingerprint from the columns
 *   the projection kept (priority and office were not kept, so they are not compared). The API
 *   still finds them by the id the old scheme derived.
 * - `request_events.actor_key_id` / `actor_role`: the API key that made each recorded action.
 * - `api_keys.intake_source`: several keys of one integration may share one namespace (key
 *   rotation must not turn a retry into a second request).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('request_intake', (t) => {
    t.comment('The intake key of every request, scoped by caller and customer, with the input it was registered with; written before the workflow starts');
    t.text('request_id').primary({ constraintName: 'request_intake_pk' }).comment('The request this key names (support_requests.id once the workflow has written it)');
    t.text('request_key').notNullable().comment('support_requests.request_key of the request');
    t.text('namespace').notNullable().comment("Whose key it is: 'key:<api key id>', 'source:<intake source>', or 'legacy:…' for requests registered before keys were scoped");
    t.text('customer_key').notNullable().comment("The request's customer id, '' for an anonymous person");
    t.text('key_kind').notNullable().comment("'external-ref' (body) or 'idempotency-key' (header)");
    t.text('intake_key').notNullable().comment('The external reference or Idempotency-Key as sent');
    t.jsonb('fingerprint').notNullable().comment('Normalised registration input of the first attempt; a replay must match every field present here');
    t.jsonb('policy').comment('The pinned policy admission chose (for backfilled rows: the request\'s own)');
    t.text('contract_id').comment('Contract whose quota this registration uses (a reserved slot until the request row exists)');
    t.timestamp('claimed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('Admission instant: the quota period this registration counts in');
    t.text('claimed_by_key_id').comment('API key that registered the request');
    t.text('claimed_by_role').comment('Role of that key when it registered');
    t.unique(['namespace', 'customer_key', 'key_kind', 'intake_key'], { indexName: 'request_intake_key_uq' });
    t.unique(['request_key'], { indexName: 'request_intake_request_key_uq' });
    t.index(['contract_id', 'claimed_at'], 'request_intake_contract_idx');
    t.check("key_kind in ('external-ref', 'idempotency-key')", [], 'request_intake_key_kind_ck');
  });

  await backfillLegacyIntake(knex);


  await knex.schema.alterTable('request_events', (t) => {
    t.text('actor_key_id').comment('API key that made the action (null for the workflow\'s own events and rows written before keys were recorded)');
    t.text('actor_role').comment('Role of that key when it acted');
  });
  await knex.schema.alterTable('api_keys', (t) => {
    t.text('intake_source').comment('Intake integration the key belongs to: keys sharing it share one idempotency namespace (null: the key is its own)');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('api_keys', (t) => t.dropColumn('intake_source'));
  await knex.schema.alterTable('request_events', (t) => {
    t.dropColumn('actor_role');
    t.dropColumn('actor_key_id');
  });
  await knex.schema.dropTable('request_intake');
};

/**
 * Gives every request without an intake row one in a legacy namespace. Old request keys are
 * "<kind>:<key>" or "customer:<scope>:<kind>:<key>"; anything else (rows a test or a tool
 * wrote) keeps its whole key in a namespace of its own. Idempotent. (`\\?` is a literal `?` to knex.)
 *
 * @param {import('knex').Knex} knex
 */
async function backfillLegacyIntake(knex) {
  await knex.raw(`
    insert into request_intake (request_id, request_key, namespace, customer_key, key_kind, intake_key, fingerprint, policy, contract_id, claimed_at)
    select r.id, r.request_key,
           case when x.m is null then 'legacy:' || r.request_key
                when x.m[1] is null then 'legacy:unscoped' else 'legacy:customer:' || x.m[1] end,
           coalesce(r.customer_id, ''),
           coalesce(x.m[2], 'external-ref'),
           coalesce(x.m[3], r.request_key),
           jsonb_build_object('subject', r.subject, 'description', r.description, 'customerId', r.customer_id, 'productId', r.product_id,
                              'channel', r.channel, 'category', r.category, 'reporter', r.reporter, 'externalRef', r.external_ref),
           r.policy, r.policy->>'contractId', r.registered_at
      from support_requests r
      left join lateral (select regexp_match(r.request_key, '^(\\?:customer:(.*\\?):)\\?(external-ref|idempotency-key):(.*)$') as m) x on true
     where not exists (select 1 from request_intake i where i.request_id = r.id)
    on conflict do nothing`);
}
exports.backfillLegacyIntake = backfillLegacyIntake;
