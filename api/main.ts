// API process entry point (`npm run api`). Stateless: scale out by running more of these.
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { intSettingFromEnv, readSettings } from '../config/env';
import { temporalConnectionOptions } from '../config/temporal-connection';
import { createKnex } from '../db/knex';
import { createApp } from './app';
import { PgListener, pgConnector } from '../db/pg-listener';
import { createLiveUpdates } from './screen/live-updates';
import { KeyChangeFeed } from './auth/key-events';
import { temporalCallInterceptors } from './temporal-call-deadline';

async function main(): Promise<void> {
  const settings = readSettings();
  const logger = pino({ level: settings.logLevel, base: { service: 'api', pid: process.pid } });
  if (!settings.databaseUrl) throw new Error('DATABASE_URL is required by the API');
  if (!settings.temporal.address) throw new Error('TEMPORAL_ADDRESS is required by the API');
  // Short waits for a connection: with the database down a request answers 503 in seconds.
  const db = createKnex(settings.databaseUrl, { acquireTimeoutMs: intSettingFromEnv('DB_ACQUIRE_TIMEOUT_MS', { unit: 'milliseconds' }) ?? 5_000 });
  const connection = await Connection.connect({
    ...temporalConnectionOptions(settings.temporal, settings.temporal.address),
    interceptors: temporalCallInterceptors(intSettingFromEnv('TEMPORAL_CALL_TIMEOUT_MS', { unit: 'milliseconds' }) ?? 10_000),
  });
  const client = new Client({ connection, namespace: settings.temporal.namespace });
  // One LISTEN connection per API process, shared by key changes and the screen's live updates.
  const pgListener = new PgListener({ connect: pgConnector(settings.databaseUrl), logger });
  const live = createLiveUpdates({ listener: pgListener, logger });
  const keyChanges = new KeyChangeFeed(pgListener, logger);
  const app = createApp({
    db,
    live,
    client,
    taskQueue: settings.temporal.taskQueue,
    logger,
    namespace: settings.temporal.namespace,
    temporalUiBase: settings.temporal.webUiUrl,
    // SLA_SEARCH_ATTRIBUTES=1 once SlaCustomer, SlaLevel, … are registered (README, "Temporal's own UI").
    searchAttributes: process.env.SLA_SEARCH_ATTRIBUTES === '1',
    keyChanges,
  });
  const server = app.listen(settings.port, (err?: Error) => {
    // Express 5 hands a listen error (EADDRINUSE, EACCES) to this callback: without a socket the
    // process would idle until it exits 0, so fail loudly for the supervisor instead.
    if (err) {
      logger.fatal({ err, port: settings.port }, 'api cannot listen');
      process.exit(1);
    }
    logger.info({ port: settings.port, screen: `http://127.0.0.1:${settings.port}/ui/` }, 'api listening');
  });

  const shutdown = () => {
    logger.info('api shutting down');
    server.close(async () => {
      await live.close();
      await pgListener.stop();
      await connection.close();
      await db.destroy();
      process.exit(0);
    });
    // Open event streams of the screen never end by themselves: close them after a grace period.
    setTimeout(() => server.closeAllConnections(), 1_000).unref();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
