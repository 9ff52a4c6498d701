/**
 * Notifications: a directory of recipients and a transactional outbox. The workflow enqueues
 * (idempotent by key), then delivers each row through an activity that leases it; the row is
 * the durable record of what was sent, to whom, how many attempts it took and why it failed.
 *
 * Outbox state machine (see db/queries/notifications.ts):
 *   (enqueue) --> pending, or failed at once for a malformed contact address
 *   pending --claim--> sending --sent--> delivered
 *   sending --retryable error--> pending      sending --permanent error--> failed
 *   sending, lease expired (worker died) --claim--> sending (attempts + 1)
 *   pending|sending --workflow gave up--> failed        failed --operator requeue--> pending
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('notification_recipients', (t) => {
    t.comment('Directory of people and systems notified about requests; policies address them by role');
    t.text('id').primary().comment('Stable recipient id, e.g. team-lead; part of outbox idempotency keys');
    t.text('name').notNullable().comment('Display name used in e-mail headers and the ops view');
    t.specificType('roles', 'text[]').notNullable().defaultTo('{}').comment('Symbolic roles used by policies, e.g. team-lead, head-of-support, duty-agent');
    t.text('email').comment('E-mail address; null if this recipient gets no e-mail');
    t.text('webhook_url').comment('Webhook endpoint (https URL); null if this recipient gets no webhook');
    t.text('quiet_calendar_id').comment('Calendar whose working time warnings wait for (breaches do not wait); null = no quiet hours');
    t.boolean('active').notNullable().defaultTo(true).comment('Inactive recipients are kept for history but not resolved by role');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When the recipient was added');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When the recipient was last changed');
    t.check('email is not null or webhook_url is not null', [], 'notification_recipients_channel_ck');
  });

  await knex.schema.createTable('notification_outbox', (t) => {
    t.comment('Transactional outbox: one row per (event, recipient, channel), delivered at most once by effect');
    t.bigIncrements('id').comment('Outbox row id, passed to the delivery activity');
    t.text('idempotency_key').notNullable().unique({ indexName: 'notification_outbox_idempotency_key_uq' }).comment('Intent key + recipient + channel; a retried enqueue inserts nothing; sent as X-SLA-Event-Id and hashed into the Message-ID');
    t.text('intent_key').notNullable().comment('Idempotency key of the intent (event) this row was enqueued for');
    t.text('request_id').references('id').inTable('support_requests').onDelete('CASCADE').withKeyName('notification_outbox_request_fk').comment('The request this is about; null for notices not tied to a request');
    t.text('kind').notNullable().checkIn(['warning', 'breach', 'escalation', 'lifecycle'], 'notification_outbox_kind_ck').comment('warning (before a breach), breach, escalation or lifecycle notice');
    t.text('channel').notNullable().checkIn(['email', 'webhook'], 'notification_outbox_channel_ck').comment('Delivery channel');
    t.text('recipient_id').notNullable().comment('Directory recipient id, or contact:<address> for an explicit contact (not a foreign key: explicit contacts are not in the directory)');
    t.text('recipient_name').comment('Recipient display name at enqueue time');
    t.text('destination').notNullable().comment('E-mail address or webhook URL, copied at enqueue time');
    t.text('subject').notNullable().comment('Subject line (e-mail subject; also in the ops view)');
    t.text('body').notNullable().comment('Plain-text body of the e-mail');
    t.jsonb('payload').notNullable().defaultTo('{}').comment('JSON body POSTed to a webhook');
    t.text('status').notNullable().defaultTo('pending').checkIn(['pending', 'sending', 'delivered', 'failed'], 'notification_outbox_status_ck').comment('pending, sending (leased by a delivery attempt), delivered or failed');
    t.integer('attempts').notNullable().defaultTo(0).comment('Delivery attempts started (claims); also the fencing token of the current lease');
    t.text('last_error').comment('Error of the latest failed attempt; kept after a later success as evidence');
    t.timestamp('lease_until', { useTz: true }).comment('While sending: until when the attempt owns the row; a dead worker\'s lease expires and the row can be claimed again');
    t.timestamp('delivered_at', { useTz: true }).comment('When the receiving server or endpoint accepted it');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When it was enqueued');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).comment('When the row last changed state');
    t.check("status <> 'sending' or lease_until is not null", [], 'notification_outbox_lease_ck');
    t.check("status <> 'delivered' or delivered_at is not null", [], 'notification_outbox_delivered_ck');
    t.index(['status', 'updated_at'], 'notification_outbox_status_idx');
    t.index(['request_id', 'id'], 'notification_outbox_request_idx');
    t.index(['intent_key'], 'notification_outbox_intent_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('notification_outbox');
  await knex.schema.dropTable('notification_recipients');
};
