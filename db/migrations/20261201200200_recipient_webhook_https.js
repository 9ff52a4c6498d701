/**
 * Webhook targets must be https: notifications carry request data and are signed, so they must
 * not travel in clear. The database refuses any other URL in the directory, except plain http to
 * a loopback host (local receivers); whether those are actually sent to is the worker's setting
 * WEBHOOK_ALLOW_HTTP_LOOPBACK (domain/notification/webhook-url.ts), checked again at enqueue and send.
 *
 * (No `?` quantifier: knex.raw would read it as a binding.)
 *
 * NOT VALID: rows written before this rule are not rechecked here (the sender refuses them and
 * records why on the outbox row); every insert and update from now on is.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(`
    alter table notification_recipients add constraint notification_recipients_webhook_https_ck check (
      webhook_url is null
      or webhook_url ~* '^https://'
      or webhook_url ~* '^http://(localhost|127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}|\\[::1\\])(:[0-9]{1,5}){0,1}(/|$)'
    ) not valid`);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('alter table notification_recipients drop constraint notification_recipients_webhook_https_ck');
};
