/**
 * /ui: what the desk's screen (the static pages in web/) calls besides the /v1 API.
 * - POST/GET/DELETE /ui/session: sign in with an API key (sent as Bearer, verified and rate
 *   limited by the same chain as every API call), read the session, sign out.
 * - GET /ui/events: Server-Sent Events nudging the page to re-read (see live-updates.ts).
 * - GET /ui/api/board, /ui/api/requests/:id: requests with every clock measured now and the
 *   calendar's working window, for honest live countdowns.
 * - GET /ui/api/calendars/:id/month: a month of a calendar for the month view.
 * Roles and customer scope are the API's own (api/auth); agent actions go to /v1 as they are.
 */
import { Router } from 'express';
import type { Knex } from 'knex';
import { OPEN_STATES, readBoard } from '../../db/queries/board';
import { listRequestNotifications } from '../../db/queries/request-notifications';
import { REQUEST_STATES } from '../../domain/request/snapshot';
import type { CalendarRegistry } from '../../services/calendar-registry';
import { UnknownCalendarError } from '../../services/calendar-registry';
import { calendarAt } from '../../domain/calendar';
import { requireRole, ROLES, STAFF } from '../auth/authorize';
import { customerScopeOf } from '../auth/principal';
import { NotFoundProblem, Problem } from '../problems';
import { parseQuery } from '../policy/http';
import { parseWith } from '../validate';
import { requestIdSchema } from '../requests/schemas';
import { calendarIdSchema } from '../calendars/schemas';
import { presentBoard } from './board';
import { monthOf } from './calendar-month';
import type { LiveUpdates } from './live-updates';
import { boardQuerySchema, monthQuerySchema } from './schemas';
import type { SessionStore } from './sessions';

export interface ScreenRouterDeps {
  db: Knex;
  calendars: CalendarRegistry;
  sessions: SessionStore;
  live: LiveUpdates;
  /** Link base of the Temporal Web UI, shown on request pages. */
  temporalUiBase?: string;
  namespace: string;
  /** How often an open event stream re-checks its session (a sign-out elsewhere ends it). */
  sessionCheckMs?: number;
}

class BadRequestProblem extends Problem {
  constructor(detail: string) {
    super(400, 'Invalid request', detail);
  }
}

export function screenRouter(deps: ScreenRouterDeps): Router {
  const { db, calendars, sessions, live } = deps;
  const router = Router();
  const sessionCheckMs = deps.sessionCheckMs ?? 30_000;

  router.post('/session', async (req, res) => {
    if (req.uiSession) throw new BadRequestProblem('already signed in: sign in with an API key sent as "Authorization: Bearer <key>"');
    const p = req.principal!;
    const { csrfToken } = await sessions.create(p, req, res);
    res.status(201).json({ principal: { keyId: p.keyId, name: p.name, role: p.role, customerScope: p.customerScope }, csrfToken });
  });

  router.get('/session', (req, res) => {
    const p = req.principal!;
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      principal: { keyId: p.keyId, name: p.name, role: p.role, customerScope: p.customerScope },
      csrfToken: req.uiSession?.csrfToken ?? null,
      expiresAt: req.uiSession?.expiresAt.toISOString() ?? null,
      temporalUi: deps.temporalUiBase ? `${deps.temporalUiBase}/namespaces/${deps.namespace}/workflows/` : null,
    });
  });

  router.delete('/session', async (req, res) => {
    await sessions.end(req, res);
    res.status(204).end();
  });

  // One stream per open page. Only request ids the key may see are sent, and only as a nudge.
  router.get('/events', async (req, res) => {
    const scope = customerScopeOf(req);
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    const unsubscribe = live.subscribe((e) => {
      if (e.kind === 'changed') {
        if (scope !== null && e.customerId !== scope) return;
        res.write(`event: changed\ndata: ${JSON.stringify({ id: e.id })}\n\n`);
      } else {
        res.write('event: resync\ndata: {}\n\n');
      }
    });
    const listening = await live.whenListening(5_000);
    // The page (re-)reads on "ready": whatever changed before we listened is in that read.
    res.write(`event: ready\ndata: ${JSON.stringify({ listening })}\n\n`);
    const ping = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const check = setInterval(() => {
      if (!req.uiSession) return;
      sessions
        .resolve(req)
        .then((s) => {
          if (s.kind !== 'ok') res.end();
        })
        .catch(() => undefined);
    }, sessionCheckMs);
    req.on('close', () => {
      unsubscribe();
      clearInterval(ping);
      clearInterval(check);
    });
  });

  router.get('/api/board', requireRole(...ROLES), async (req, res) => {
    const q = parseQuery(req, boardQuerySchema);
    const scope = customerScopeOf(req);
    const nowMs = Date.now();
    if (scope !== null && q.customerId !== undefined && q.customerId !== scope) {
      res.json({ now: nowMs, counts: { total: 0, breached: 0, atRisk: 0 }, limit: q.limit, items: [] });
      return;
    }
    const { rows, counts } = await readBoard(
      db,
      {
        states: q.state ?? OPEN_STATES,
        levels: q.level,
        customerId: scope ?? q.customerId,
        officeId: q.officeId,
        assignee: q.assignee,
        breached: q.breached,
        atRisk: q.atRisk,
        text: q.q,
      },
      q.limit,
    );
    res.json({ now: nowMs, counts, limit: q.limit, items: await presentBoard(rows, calendars, nowMs) });
  });

  router.get('/api/requests/:id', requireRole(...ROLES), async (req, res) => {
    const id = parseWith(req.params.id, requestIdSchema, 'path:id');
    const scope = customerScopeOf(req);
    const nowMs = Date.now();
    const { rows } = await readBoard(db, { states: REQUEST_STATES, id, ...(scope !== null && { customerId: scope }) }, 1);
    const [item] = await presentBoard(rows, calendars, nowMs);
    if (!item) throw new NotFoundProblem(`request ${id}`);
    res.json({ now: nowMs, item });
  });

  // Notifications of a request and their delivery: staff only, like the timeline.
  router.get('/api/requests/:id/notifications', requireRole(...STAFF), async (req, res) => {
    const id = parseWith(req.params.id, requestIdSchema, 'path:id');
    const scope = customerScopeOf(req);
    const { rows } = await readBoard(db, { states: REQUEST_STATES, id, ...(scope !== null && { customerId: scope }) }, 1);
    if (rows.length === 0) throw new NotFoundProblem(`request ${id}`);
    const at = (d: Date | null) => d?.toISOString() ?? null;
    const items = (await listRequestNotifications(db, id)).map((n) => ({
      kind: n.kind,
      channel: n.channel,
      recipient: n.recipient_name,
      subject: n.subject,
      status: n.status,
      attempts: n.attempts,
      lastError: n.last_error,
      deliveredAt: at(n.delivered_at),
      createdAt: at(n.created_at),
    }));
    res.json({ items, timezone: (await presentBoard(rows, calendars, Date.now()))[0]?.calendar.timezone ?? 'UTC' });
  });

  router.get('/api/calendars/:id/month', requireRole(...STAFF), async (req, res) => {
    const id = parseWith(req.params.id, calendarIdSchema, 'path:id');
    const { month } = parseQuery(req, monthQuerySchema);
    const versioned = await calendars.versioned(id).catch((err: unknown) => {
      if (err instanceof UnknownCalendarError) throw new NotFoundProblem(`calendar ${id}`);
      throw err;
    });
    const zone = calendarAt(versioned, Date.now()).timezone;
    res.json({ id, month, timezone: zone, days: monthOf(month, zone, (ms) => calendarAt(versioned, ms)) });
  });

  return router;
}
