import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { requestIdSchema } from '../../requests/schemas';
import { calendarIdSchema } from '../../calendars/schemas';
import { boardQuerySchema, monthQuerySchema } from '../../screen/schemas';
import { jsonResponse } from '../components';
import { defineOperation } from '../define';

const TAG = 'Screen';
const COOKIE =
  'Also accepts the session cookie of a signed-in browser (`sla_session`, httpOnly, SameSite=Strict); changes made with the cookie must carry the session\'s `X-CSRF-Token`.';

/** One event of the live stream as an SSE reader parses it (in OpenAPI 3.1 the schema of `text/event-stream` describes each event). */
const liveEventSchema = z.object({
  event: z.enum(['ready', 'changed', 'resync']),
  data: z.string().describe('JSON: `{"listening": true|false}` (ready), `{"id": "SR-…"}` (changed), `{}` (resync)'),
  id: z.string().optional(),
  retry: z.number().int().optional().describe('Reconnect after this many ms (sent once, first)'),
});

/** /ui: the desk's screen's own calls (`api/screen/router.ts`); its pages are served at /ui/. */
export function registerScreenPaths(registry: OpenAPIRegistry): void {
  defineOperation(registry, {
    method: 'post',
    path: '/ui/session',
    tag: TAG,
    summary: 'Sign in: exchange the API key sent with this request for a browser session',
    description: 'Send the key as `Authorization: Bearer <key>`. Sets the `sla_session` cookie (httpOnly, SameSite=Strict, ended after `SESSION_IDLE_MINUTES` unused, at most `SESSION_MAX_HOURS`) and answers the key\'s role and scope and the anti-CSRF token.',
    responses: { 201: jsonResponse('`principal` (name, role, customerScope) and `csrfToken`') },
  });
  defineOperation(registry, {
    method: 'get',
    path: '/ui/session',
    tag: TAG,
    summary: 'The signed-in browser\'s session: who, and its anti-CSRF token',
    description: COOKIE,
    responses: { 200: jsonResponse('`principal`, `csrfToken` (null for a key sent with the request), `expiresAt`, `temporalUi`') },
  });
  defineOperation(registry, {
    method: 'delete',
    path: '/ui/session',
    tag: TAG,
    summary: 'Sign out: end the session everywhere',
    description: COOKIE,
    responses: { 204: { description: 'Signed out; the cookie is cleared' } },
  });
  defineOperation(registry, {
    method: 'get',
    path: '/ui/events',
    tag: TAG,
    summary: 'Server-Sent Events: a nudge naming each changed request the key may see',
    description: `Events: \`ready\` (listening; read now), \`changed\` (\`{"id": "SR-…"}\`), \`resync\` (notifications may have been missed: read everything). Carries no request data: read it through the API. ${COOKIE}`,
    responses: { 200: { description: 'An event stream', content: { 'text/event-stream': { schema: liveEventSchema } } } },
  });
  defineOperation(registry, {
    method: 'get',
    path: '/ui/api/board',
    tag: TAG,
    summary: 'The board: requests breached first, then by nearest deadline, with every clock measured now',
    description: `Each item has its clocks (remaining and overdue working time at \`now\`) and the calendar's working \`window\` (working now, and until when), so a page counts down only during working time. ${COOKIE}`,
    query: boardQuerySchema,
    responses: { 200: jsonResponse('`now` (epoch ms), `counts` of the whole filter, `items` (at most `limit`)') },
  });
  defineOperation(registry, {
    method: 'get',
    path: '/ui/api/requests/{id}',
    tag: TAG,
    summary: 'One request as the board shows it (clocks measured now, working window)',
    description: COOKIE,
    params: { id: requestIdSchema },
    responses: { 200: jsonResponse('`now` and `item`') },
    errors: [404],
  });
  defineOperation(registry, {
    method: 'get',
    path: '/ui/api/requests/{id}/notifications',
    tag: TAG,
    summary: 'A request\'s notifications and their delivery (destinations not shown)',
    description: COOKIE,
    params: { id: requestIdSchema },
    responses: { 200: jsonResponse('`items` and the calendar `timezone`') },
    errors: [404],
  });
  defineOperation(registry, {
    method: 'get',
    path: '/ui/api/calendars/{id}/month',
    tag: TAG,
    summary: 'A month of a calendar: each day\'s kind, working intervals and version',
    description: COOKIE,
    params: { id: calendarIdSchema },
    query: monthQuerySchema,
    responses: { 200: jsonResponse('`timezone` and `days`') },
    errors: [404],
  });
}
