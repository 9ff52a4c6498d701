// A dependency that is down answers 503 with Retry-After (problem+json), quickly: the errors come
// from the real client libraries against a port nobody listens on, and against a server that
// accepts connections and never answers.
import express from 'express';
import net from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import { Connection } from '@temporalio/client';
import { errorMiddleware } from '../../../api/error-middleware';
import { unavailableDependency } from '../../../api/dependency-errors';
import { temporalCallInterceptors } from '../../../api/temporal-call-deadline';
import { createKnex } from '../../../db/knex';
import { freePort } from '../../../infra/node-services';

function appFailingWith(run: () => Promise<unknown>) {
  const app = express();
  app.get('/thing', async (_req, res) => {
    res.json(await run());
  });
  app.use(errorMiddleware(pino({ level: 'silent' })));
  return app;
}

/** Accepts TCP connections and never says a word (a hung server). */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

test('PostgreSQL refusing connections is a 503 DependencyUnavailable with Retry-After, not a 500', async () => {
  const db = createKnex(`postgres://u:p@127.0.0.1:${await freePort()}/x`, { acquireTimeoutMs: 2_000 });
  try {
    const res = await request(appFailingWith(() => db.raw('select 1'))).get('/thing');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.body).toMatchObject({ status: 503, title: 'Service unavailable', reason: 'dependency-unavailable', dependency: 'database' });
    // The client sees no host, port or driver text.
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  } finally {
    await db.destroy();
  }
});

test('a PostgreSQL that accepts but never answers is a 503 after the connect timeout, not a hang', async () => {
  const server = await silentServer();
  const db = createKnex(`postgres://u:p@127.0.0.1:${server.port}/x`, { acquireTimeoutMs: 1_000 });
  try {
    const res = await request(appFailingWith(() => db.raw('select 1'))).get('/thing');
    expect(res.status).toBe(503);
    expect(res.body.dependency).toBe('database');
  } finally {
    await db.destroy();
    await server.close();
  }
});

/** One message of PostgreSQL's wire protocol: type byte, length, body. */
function pgMessage(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(5);
  head.write(type, 0);
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const int32 = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
const cstring = (s: string) => Buffer.from(`${s}\0`);

/**
 * Speaks PostgreSQL's protocol far enough for knex to connect (startup, and the `select
 * version()` knex asks once), then drops the connection at the next query: a server killed
 * with -9 while a query runs.
 */
async function dyingPostgres(): Promise<{ port: number; close(): Promise<void> }> {
  const ready = pgMessage('Z', Buffer.from('I'));
  const server = net.createServer((socket) => {
    let messages = 0;
    socket.on('data', (data) => {
      messages++;
      if (messages === 1) return socket.write(Buffer.concat([pgMessage('R', int32(0)), ready]));
      if (data.includes('version()')) {
        const column = Buffer.concat([cstring('version'), int32(0), int16(0), int32(25), int16(-1), int32(-1), int16(0)]);
        const value = Buffer.from('PostgreSQL 16.0');
        return socket.write(Buffer.concat([pgMessage('T', int16(1), column), pgMessage('D', int16(1), int32(value.length), value), pgMessage('C', cstring('SELECT 1')), ready]));
      }
      socket.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((r) => server.close(() => r())) };
}

test('PostgreSQL dying in the middle of a query is a 503, though knex puts the SQL in front of the message', async () => {
  const server = await dyingPostgres();
  const db = createKnex(`postgres://u:p@127.0.0.1:${server.port}/x`, { acquireTimeoutMs: 2_000 });
  try {
    const failure = await db.raw('select 1').catch((err: Error) => err);
    expect((failure as Error).message).toBe('select 1 - Connection terminated unexpectedly');
    const res = await request(appFailingWith(() => db.raw('select 1'))).get('/thing');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ reason: 'dependency-unavailable', dependency: 'database' });
  } finally {
    await db.destroy();
    await server.close();
  }
});

test('PostgreSQL shutting down (57P01) and a lost connection are the database being unavailable', () => {
  expect(unavailableDependency(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe('database');
  expect(unavailableDependency(new Error('Connection terminated unexpectedly'))).toBe('database');
  // knex puts the query's SQL in front of node-postgres's message.
  expect(unavailableDependency(new Error('select 1 - Client was closed and is not queryable'))).toBe('database');
  // Input errors are not: 22021 is a character PostgreSQL cannot store (a 400 elsewhere).
  expect(unavailableDependency(Object.assign(new Error('invalid byte sequence'), { code: '22021' }))).toBeUndefined();
  expect(unavailableDependency(new Error('boom'))).toBeUndefined();
});

/** A Temporal call through `connection` answers 503 "temporal unavailable, retry after 2 s"; closes the connection. */
async function expectTemporalUnavailable(connection: Connection): Promise<void> {
  try {
    const res = await request(appFailingWith(() => connection.workflowService.getSystemInfo({}))).get('/thing');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.body).toMatchObject({ reason: 'dependency-unavailable', dependency: 'temporal' });
  } finally {
    await connection.close();
  }
}

test('Temporal unreachable, or not answering within the call deadline, is a 503 DependencyUnavailable', async () => {
  const hung = await silentServer();
  for (const port of [await freePort(), hung.port]) {
    await expectTemporalUnavailable(await Connection.lazy({ address: `127.0.0.1:${port}`, interceptors: temporalCallInterceptors(1_500) }));
  }
  await hung.close();
});

test('Temporal asking callers to back off (RESOURCE_EXHAUSTED, a rate limit) is a 503 with Retry-After, not a 500', async () => {
  const server = new Server();
  // Any call to GetSystemInfo is refused as Temporal refuses one over a namespace's rate limit.
  server.register(
    '/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo',
    (_call: unknown, callback: (err: { code: number; details: string }) => void) => callback({ code: status.RESOURCE_EXHAUSTED, details: 'namespace rate limit exceeded' }),
    (b: Buffer) => b,
    (b: Buffer) => b,
    'unary',
  );
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  // No retry interceptor: the refusal reaches the error mapping as the API's retries would end.
  try {
    await expectTemporalUnavailable(await Connection.lazy({ address: `127.0.0.1:${port}`, interceptors: [] }));
  } finally {
    server.forceShutdown();
  }
});
