import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { recipientBody, recipientIdSchema, recipientsQuery } from '../../recipients/schemas';
import { jsonResponse, named } from '../components';
import { defineOperation } from '../define';

const TAG = 'Notification recipients';
const ENTRY =
  'The entry: id, name, kind, roles, email, webhookUrl, quietCalendarId, active, createdAt/updatedAt and createdBy/updatedBy ({ keyId, role } of the key that wrote it; null for rows written by SQL)';

/** /v1/recipients (`api/recipients/router.ts`): the notification directory. */
export function registerRecipientPaths(registry: OpenAPIRegistry): void {
  const params = { recipientId: recipientIdSchema };
  defineOperation(registry, {
    method: 'get',
    path: '/v1/recipients',
    tag: TAG,
    summary: 'List the notification directory (staff, unscoped keys)',
    description: 'People and teams notified about requests, ordered by id, keyset pages (`after` = the `next` of the previous page).',
    query: recipientsQuery,
    responses: { 200: jsonResponse('`items` and `next` (absent on the last page)') },
  });
  defineOperation(registry, {
    method: 'get',
    path: '/v1/recipients/{recipientId}',
    tag: TAG,
    summary: 'A directory entry (staff, unscoped keys)',
    params,
    responses: { 200: jsonResponse(ENTRY) },
    errors: [404],
  });
  defineOperation(registry, {
    method: 'get',
    path: '/v1/recipients/{recipientId}/changes',
    tag: TAG,
    summary: "A directory entry's audit trail (staff, unscoped keys)",
    description: 'Every create, replace and delete made over the API, oldest first, with `by` ({ keyId, role }) and the entry as written; kept after a delete.',
    params,
    responses: { 200: jsonResponse('`items`: { seq, action (created, replaced, deleted), by, at, entry }') },
  });
  defineOperation(registry, {
    method: 'put',
    path: '/v1/recipients/{recipientId}',
    tag: TAG,
    summary: 'Create or replace a directory entry (operations, admin)',
    description:
      'The whole entry (a replace, not a merge): 201 when new, 200 when replaced; audited with the calling key. ' +
      "An agent's entry has the agent id requests are assigned to, so warnings and escalations addressed to \"assignee\" reach it. " +
      '422 naming the field for an http webhook (`https_required`), an unknown quiet-hours calendar (`unknown_reference`; shipped calendars exist), ' +
      'neither email nor webhookUrl (`channel_required`), or a role resolved per request (`request_bound_role`: assignee, contract-escalation-contacts).',
    params,
    body: named(registry, 'NotificationRecipient', recipientBody),
    responses: { 201: jsonResponse(`Created. ${ENTRY}`), 200: jsonResponse(`Replaced. ${ENTRY}`) },
    errors: [422],
  });
  defineOperation(registry, {
    method: 'delete',
    path: '/v1/recipients/{recipientId}',
    tag: TAG,
    summary: 'Delete a directory entry (operations, admin)',
    description: 'Audited with the calling key. Notifications already enqueued keep the name and destination they were sent to. To pause an entry instead, PUT it with `active: false`.',
    params,
    responses: { 204: { description: 'Deleted' } },
    errors: [404],
  });
}
