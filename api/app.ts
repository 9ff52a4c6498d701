import express from 'express';
import helmet from 'helmet';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { errorMiddleware } from './error-middleware';
import { healthRouter } from './health/router';
import { NotFoundProblem } from './problems';
import { policyRouters } from './policy';
import { requestContext } from './request-context';
import { calendarsRouter } from './calendars/router';
import { requestsRouter } from './requests/router';
import { createRequestService } from './requests/service';
import { createCalendarRegistry, specsFromDb } from '../services/calendar-registry';

export interface AppDeps {
  db: Knex;
  client: Client;
  taskQueue: string;
  logger: Logger;
  namespace: string;
  /** Temporal Web UI base URL, to link each request to its workflow history. */
  temporalUiBase?: string;
}

/** Wires routers and middleware; the only place that knows the whole API. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(helmet());
  app.use(requestContext(deps.logger));
  app.use(express.json({ limit: '256kb', type: ['application/json', 'application/*+json'] }));

  app.use(healthRouter(deps.db, deps.client, deps.taskQueue));
  const calendars = createCalendarRegistry(specsFromDb(deps.db));
  const requests = createRequestService({ client: deps.client, db: deps.db, taskQueue: deps.taskQueue });
  app.use('/v1/requests', requestsRouter({ service: requests, db: deps.db, calendars, namespace: deps.namespace, temporalUiBase: deps.temporalUiBase }));
  app.use('/v1/calendars', calendarsRouter({ db: deps.db, registry: calendars, client: deps.client, logger: deps.logger }));
  app.use('/v1', policyRouters(deps.db));

  app.use((req) => {
    throw new NotFoundProblem(`route ${req.method} ${req.path}`);
  });
  app.use(errorMiddleware(deps.logger));
  return app;
}
