import express from 'express';
import helmet from 'helmet';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { authenticate, createKeyVerifier } from './auth/authenticate';
import type { KeyChangeFeed } from './auth/key-events';
import { postgresHitCounter } from './auth/rate-limit';
import { bodyParsers } from './body';
import { OPERATIONS, requireRole, requireUnscoped } from './auth/authorize';
import { apiKeysRouter } from './auth/keys.router';
import { authSettingsFromEnv, type AuthSettings } from './auth/settings';
import { errorMiddleware } from './error-middleware';
import { healthRouter } from './health/router';
import { createApiMetrics } from './metrics';
import { methodNotAllowed } from './method-not-allowed';
import { NotFoundProblem } from './problems';
import { openApiRouter } from './openapi/router';
import { policyRouters } from './policy';
import { requestContext } from './request-context';
import { calendarsRouter } from './calendars/router';
import { calendarReplansRouter } from './calendars/replans-router';
import { reportsRouter } from './reports/router';
import { requestsRouter } from './requests/router';
import { createLiveUpdates, type LiveUpdates } from './screen/live-updates';
import { screenRouter } from './screen/router';
import { createSessionStore, sessionSettingsFromEnv, type SessionSettings } from './screen/sessions';
import { mountScreenAssets } from './screen/static';
import { createRequestService } from './requests/service';
import { createIdempotentActions } from './requests/idempotent-actions';
import { createCalendarRegistry, specsFromDb } from '../services/calendar-registry';
import { createRegistrationService } from '../services/registration/service';
import { siteFormOfficeIdFromEnv } from '../config/env';
import { readNotificationSettings } from '../notifications/settings';
import { createRecipientDirectory } from '../services/recipient-directory';
import { recipientsRouter } from './recipients/router';
import { contractReportsRouter } from './contract-reports/router';
import { createContractReporting } from '../services/contract-reporting';
import { createReportScheduler } from '../services/contract-report-schedule';
import { PgListener, pgConnectorFor } from '../db/pg-listener';

export interface AppDeps {
  db: Knex;
  client: Client;
  taskQueue: string;
  logger: Logger;
  namespace: string;
  /** Temporal Web UI base URL, to link each request to its workflow history. */
  temporalUiBase?: string;
  /** API keys and rate limits; read from the environment (ADMIN_API_KEY, …) when absent. */
  auth?: AuthSettings;
  /** The screen's live updates (on the process's one LISTEN connection, main.ts); created from `db` when absent. */
  live?: LiveUpdates;
  /** Browser session settings; read from the environment (SESSION_IDLE_MINUTES, …) when absent. */
  sessions?: SessionSettings;
  /** Start request workflows that keep the SLA search attributes current (they must be registered in the namespace). */
  searchAttributes?: boolean;
  /** Key changes made on other API processes (PostgreSQL LISTEN/NOTIFY); main.ts owns it. */
  keyChanges?: KeyChangeFeed;
  /** The office of anonymous support-site-form requests; read from SITE_FORM_DEFAULT_OFFICE_ID when absent. */
  siteFormOfficeId?: string;
}

/** Wires routers and middleware; the only place that knows the whole API. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(helmet());
  app.use(requestContext(deps.logger));
  const metrics = createApiMetrics({ db: deps.db, logger: deps.logger });
  app.use(metrics.httpDuration);

  app.use(healthRouter(deps.db, deps.client, deps.taskQueue, deps.logger));
  app.use(openApiRouter()); // GET /openapi.json and /docs: public
  mountScreenAssets(app); // the screen's static pages and vendored libraries: public, no data
  app.use(methodNotAllowed()); // a documented path, an undocumented method: 405 with Allow
  // Everything below needs an API key (health, /openapi.json and /docs stay public wherever they are mounted).
  const auth = deps.auth ?? authSettingsFromEnv();
  const verifier = createKeyVerifier(deps.db, auth, deps.logger);
  if (!auth.bootstrapAdminKey) deps.logger.warn('ADMIN_API_KEY is not set: only API keys already in the database are accepted');
  deps.keyChanges?.attach(verifier);
  // Rate-limit counters in PostgreSQL: one budget across all API processes.
  const sessions = createSessionStore(deps.db, deps.sessions ?? sessionSettingsFromEnv(auth.bootstrapAdminKey !== undefined), deps.logger);
  app.use(authenticate(verifier, auth, postgresHitCounter(deps.db, deps.logger), sessions));
  // Bodies are read only for authenticated callers, and only through the one guard (api/body.ts).
  app.use(bodyParsers());
  app.use('/v1/api-keys', apiKeysRouter({ db: deps.db, verifier }));
  // Prometheus scrape endpoint: vendor-wide operations figures, so an operations or admin key
  // without a customer scope (Prometheus: `authorization: { credentials: <key> }`).
  app.get('/metrics', requireRole(...OPERATIONS), requireUnscoped(), metrics.handler);
  const calendars = createCalendarRegistry(specsFromDb(deps.db));
  const requests = createRequestService({ client: deps.client, db: deps.db });
  const siteFormOfficeId = deps.siteFormOfficeId ?? siteFormOfficeIdFromEnv();
  const registration = createRegistrationService({
    client: deps.client,
    db: deps.db,
    calendars,
    taskQueue: deps.taskQueue,
    ...(deps.searchAttributes && { workflowOptions: { searchAttributes: true } }),
    ...(siteFormOfficeId && { siteFormOfficeId }),
  });
  const actions = createIdempotentActions({ db: deps.db, client: deps.client, get: (id) => requests.get(id) });
  app.use('/v1/requests', requestsRouter({ service: requests, registration, actions, db: deps.db, calendars, namespace: deps.namespace, temporalUiBase: deps.temporalUiBase, client: deps.client }));
  const live = deps.live ?? createLiveUpdates({ listener: new PgListener({ connect: pgConnectorFor(deps.db), logger: deps.logger }), logger: deps.logger });
  app.use('/ui', screenRouter({ db: deps.db, calendars, sessions, live, temporalUiBase: deps.temporalUiBase, namespace: deps.namespace }));
  app.use('/v1/calendars', calendarsRouter({ db: deps.db, registry: calendars, client: deps.client, taskQueue: deps.taskQueue, logger: deps.logger }));
  app.use('/v1/calendar-replans', calendarReplansRouter({ db: deps.db, client: deps.client, taskQueue: deps.taskQueue, calendars }));
  app.use('/v1', reportsRouter({ db: deps.db }));
  const urlPolicy = { allowHttpLoopback: readNotificationSettings().webhook.allowHttpLoopback };
  const directory = createRecipientDirectory(deps.db, urlPolicy);
  const reporting = createContractReporting({ db: deps.db, calendars, scheduler: createReportScheduler(deps.client, deps.taskQueue), urlPolicy });
  app.use('/v1/contracts', contractReportsRouter({ db: deps.db, reporting }));
  app.use('/v1/recipients', recipientsRouter({ db: deps.db, directory }));
  app.use('/v1', policyRouters(deps.db));

  app.use((req) => {
    throw new NotFoundProblem(`route ${req.method} ${req.path}`);
  });
  app.use(errorMiddleware(deps.logger));
  return app;
}
