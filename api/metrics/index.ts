/**
 * Prometheus metrics of one API process (`GET /metrics`, text exposition format).
 *
 * - `sla_api_http_request_duration_seconds{method,route,status}`: this process's HTTP latency,
 *   labelled by the matched route pattern (e.g. `/v1/requests/:id`), never the raw path, so
 *   ids do not explode the label set; unmatched paths are `route="(unmatched)"`.
 * - gauges read from PostgreSQL at scrape time (the projection is shared by every API process,
 *   so every process reports the same values; aggregate with max, not sum):
 *   `sla_requests{state,level}`, `sla_requests_breached{clock}` and `sla_requests_at_risk`
 *   (open requests: registered, in progress or waiting on the customer),
 *   `sla_warnings_total` / `sla_breaches_total` (timeline events `sla_warning` / `sla_breached`),
 *   `sla_notifications{status}` (the notification outbox; `failed` = notification failures),
 *   `sla_metrics_database_up` (0 when the scrape could not read PostgreSQL).
 *   The database is read at most once per `minRefreshMs` (default 5 s) whatever the scrape rate.
 * - Node.js process metrics, prefixed `sla_api_`.
 *
 * Access control of /metrics is the authentication layer's decision, made where `api/app.ts`
 * mounts `handler`.
 */
import { countEventsByType } from '../../db/queries/requests';
import { countOpenRequestFlags, countOutboxByStatus, countRequestsByStateAndLevel } from '../../db/queries/metrics';
import type { Request, RequestHandler } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface ApiMetricsDeps {
  db: Knex;
  logger?: Logger;
  minRefreshMs?: number;
  /** Process metrics (event loop, heap, …); default true. */
  processMetrics?: boolean;
}

export interface ApiMetrics {
  registry: Registry;
  /** Times every request; mount early in the chain. */
  httpDuration: RequestHandler;
  /** GET /metrics */
  handler: RequestHandler;
}

const OUTBOX_STATUSES = ['pending', 'sending', 'delivered', 'failed'];
const routeSymbol = Symbol('metricsRoute');

type RoutedRequest = Request & { [routeSymbol]?: string };

/**
 * Remembers the route pattern when the router matches it: `req.baseUrl` is the mount path at
 * that moment, while by the time an error response finishes the router has restored it.
 */
function captureRoute(req: RoutedRequest): void {
  let route: unknown;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (value: { path?: unknown } | undefined) => {
      route = value;
      if (value && value.path !== undefined) {
        const path = String(value.path);
        // `/v1/requests` + `/` is reported as `/v1/requests`.
        req[routeSymbol] = path === '/' && req.baseUrl ? req.baseUrl : `${req.baseUrl}${path}`;
      }
    },
  });
}

export function createApiMetrics(deps: ApiMetricsDeps): ApiMetrics {
  const registry = new Registry();
  if (deps.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'sla_api_' });

  const duration = new Histogram({
    name: 'sla_api_http_request_duration_seconds',
    help: 'HTTP request duration of this API process, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const requests = new Gauge({ name: 'sla_requests', help: 'Support requests by state and level', labelNames: ['state', 'level'] as const, registers: [registry] });
  const breached = new Gauge({ name: 'sla_requests_breached', help: 'Open support requests whose clock has breached, by clock', labelNames: ['clock'] as const, registers: [registry] });
  const atRisk = new Gauge({ name: 'sla_requests_at_risk', help: 'Open support requests with a warning fired on a running, unbreached clock', registers: [registry] });
  const warnings = new Gauge({ name: 'sla_warnings_total', help: 'SLA warnings recorded (timeline events sla_warning)', registers: [registry] });
  const breaches = new Gauge({ name: 'sla_breaches_total', help: 'SLA breaches recorded (timeline events sla_breached)', registers: [registry] });
  const notifications = new Gauge({ name: 'sla_notifications', help: 'Notification outbox rows by status (failed = notification failures)', labelNames: ['status'] as const, registers: [registry] });
  const databaseUp = new Gauge({ name: 'sla_metrics_database_up', help: '1 when the last scrape read PostgreSQL, 0 when it failed', registers: [registry] });

  const minRefreshMs = deps.minRefreshMs ?? 5_000;
  let refreshedAt = -Infinity;
  let inFlight: Promise<void> | undefined;

  async function readDatabase(): Promise<void> {
    const { db } = deps;
    const [byState, open, events, outbox] = await Promise.all([
      countRequestsByStateAndLevel(db),
      countOpenRequestFlags(db),
      countEventsByType(db, ['sla_warning', 'sla_breached']),
      countOutboxByStatus(db),
    ]);
    requests.reset();
    for (const r of byState) requests.set({ state: r.state, level: r.level ?? 'none' }, Number(r.n));
    breached.set({ clock: 'first_response' }, Number(open?.first_response ?? 0));
    breached.set({ clock: 'resolution' }, Number(open?.resolution ?? 0));
    atRisk.set(Number(open?.at_risk ?? 0));
    warnings.set(events.sla_warning);
    breaches.set(events.sla_breached);
    notifications.reset();
    for (const s of OUTBOX_STATUSES) notifications.set({ status: s }, Number(outbox.find((o) => o.status === s)?.n ?? 0));
  }

  async function refresh(): Promise<void> {
    if (Date.now() - refreshedAt < minRefreshMs) return;
    // Concurrent scrapes share one read.
    inFlight ??= readDatabase()
      .then(
        () => {
          databaseUp.set(1);
          refreshedAt = Date.now();
        },
        (err: unknown) => {
          databaseUp.set(0);
          deps.logger?.warn({ err }, 'metrics: could not read PostgreSQL');
        },
      )
      .finally(() => {
        inFlight = undefined;
      });
    await inFlight;
  }

  const httpDuration: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    captureRoute(req as RoutedRequest);
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      duration.observe({ method: req.method, route: (req as RoutedRequest)[routeSymbol] ?? '(unmatched)', status: String(res.statusCode) }, seconds);
    });
    next();
  };

  const handler: RequestHandler = async (_req, res) => {
    await refresh();
    res.type(registry.contentType).send(await registry.metrics());
  };

  return { registry, httpDuration, handler };
}
