import express from 'express';
import helmet from 'helmet';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { errorMiddleware } from './error-middleware';
import { healthRouter } from './health/router';
import { NotFoundProblem } from './problems';
import { requestContext } from './request-context';
import { requestsRouter } from './requests/router';
import { createRequestService } from './requests/service';

export interface AppDeps {
  db: Knex;
  client: Client;
  taskQueue: string;
  logger: Logger;
  firstResponseTargetMs: number;
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
  const requests = createRequestService({ client: deps.client, db: deps.db, taskQueue: deps.taskQueue, firstResponseTargetMs: deps.firstResponseTargetMs });
  app.use('/v1/requests', requestsRouter(requests, deps.db));

  app.use((req) => {
    throw new NotFoundProblem(`route ${req.method} ${req.path}`);
  });
  app.use(errorMiddleware(deps.logger));
  return app;
}
