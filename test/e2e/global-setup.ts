// Starts the whole product once for the e2e project: embedded PostgreSQL, the Temporal dev
// server, two workers and two API processes (horizontal scale-out is the production shape).
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '../../infra/node-services';
import { startLocalStack, type LocalStack } from '../../infra/local-stack';

declare global {
  var __E2E_STACK__: LocalStack | undefined;
}

export default async function globalSetup(): Promise<void> {
  const dataDir = path.resolve(__dirname, '..', '..', 'data', 'e2e');
  await rm(dataDir, { recursive: true, force: true });
  const apiPorts = [await freePort(), await freePort()];
  const verbose = process.env.E2E_VERBOSE === '1';
  // The bootstrap admin key of this run; helpers.http() sends it unless a test says otherwise.
  const adminKey = randomBytes(32).toString('base64url');
  const stack = await startLocalStack({
    dataDir,
    // An external DATABASE_URL is honoured; an external Temporal is not (tests restart it).
    databaseUrl: process.env.DATABASE_URL,
    namespace: 'default',
    taskQueue: 'e2e-support-requests',
    apiPorts,
    workers: 2,
    prebundle: true,
    // Suites run in parallel with one admin key: a limit well above what they send (the limiter
    // itself is tested on an extra API process in security.e2e.test.ts).
    extraEnv: { LOG_LEVEL: 'warn', ADMIN_API_KEY: adminKey, RATE_LIMIT_PER_MINUTE: '1000000', SITE_FORM_DEFAULT_OFFICE_ID: 'e2e-site-form-office' },
    log: verbose ? (l) => console.log(l) : undefined,
  });
  globalThis.__E2E_STACK__ = stack;
  process.env.E2E_API_URLS = stack.apiUrls.join(',');
  process.env.E2E_DATABASE_URL = stack.databaseUrl;
  process.env.E2E_TEMPORAL_ADDRESS = stack.temporalAddress;
  process.env.E2E_TASK_QUEUE = 'e2e-support-requests';
  process.env.E2E_ADMIN_API_KEY = adminKey;
}
