// The one body guard (api/body.ts) and the NUL walk (api/validate.ts) on a bare Express app:
// hostile bodies (deep, non-UTF-8, other charsets) are refused as problems, in time linear in
// their size, before any route handles them.
import type { Client } from '@temporalio/client';
import express from 'express';
import type { Knex } from 'knex';
import pino from 'pino';
import request from 'supertest';
import { z } from 'zod';
import { createApp } from '../../../api/app';
import { bodyParsers, jsonDepthExceeds, MAX_JSON_DEPTH } from '../../../api/body';
import { errorMiddleware } from '../../../api/error-middleware';
import { parseBody, unstorableTextErrors } from '../../../api/validate';

function app() {
  const a = express();
  a.use(bodyParsers());
  let handled = 0;
  a.post('/things', (req, res) => {
    handled++;
    res.json(parseBody(req, z.strictObject({ a: z.unknown() })));
  });
  a.post('/ics', (req, res) => void res.json({ length: typeof req.body === 'string' ? req.body.length : -1 }));
  a.use(errorMiddleware(pino({ level: 'silent' })));
  return Object.assign(a, { handled: () => handled });
}

/** Raw bytes as sent (supertest would serialise a Buffer as JSON). */
async function sendRaw(a: express.Express, path: string, contentType: string, body: Buffer): Promise<{ status: number; body: any }> {
  const server = a.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const { port } = server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: res.status, body: await res.json() };
  } finally {
    server.close();
  }
}

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepValue = (depth: number) => {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

describe('the walk over a body\'s strings is linear in the body size', () => {
  // Today's main copied the whole path at every level: 131k levels took ~147 s (quadratic).
  // The timeout is a bound on a stall, not a performance assertion.
  test('a 131,000-level array is walked without a stall', () => {
    expect(unstorableTextErrors(deepValue(131_000))).toEqual([]);
  }, 20_000);

  test('a NUL deep down is reported with its full path; keys too', () => {
    expect(unstorableTextErrors({ a: { b: [{ c: 'x\u0000' }] }, 'k\u0000': 1 }, 'query')).toEqual(
      expect.arrayContaining([
        { field: 'query.a.b.0.c', rule: 'nul_character', message: expect.any(String) },
        { field: 'query.k\u0000', rule: 'nul_character', message: expect.any(String) },
      ]),
    );
    expect(unstorableTextErrors('\u0000')).toEqual([{ field: 'body', rule: 'nul_character', message: expect.any(String) }]);
  });

  test('a UTF-16 surrogate without its pair is reported, in values and keys; a pair (an emoji) is not', () => {
    expect(unstorableTextErrors({ subject: 'Crash \ud800 on export', description: 'x\udc00', ok: 'Сбой 😀 ё' })).toEqual(
      expect.arrayContaining([
        { field: 'subject', rule: 'lone_surrogate', message: expect.stringContaining('well-formed Unicode') },
        { field: 'description', rule: 'lone_surrogate', message: expect.any(String) },
      ]),
    );
    expect(unstorableTextErrors({ ok: 'Сбой 😀 ё', trailing: '😀' })).toEqual([]);
    expect(unstorableTextErrors({ 'k\ud83d': 1 }, 'query')).toEqual([{ field: 'query.k\ud83d', rule: 'lone_surrogate', message: expect.stringMatching(/^a field name /) }]);
  });
});

describe('the body guard', () => {
  test('the 262,000-byte [[[…]]] body (131k levels) is a 400 naming the depth rule; the route never runs', async () => {
    const a = app();
    const res = await request(a).post('/things').set('content-type', 'application/json').send(nested(131_000));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field: 'body', rule: 'too_deep', message: expect.stringContaining(String(MAX_JSON_DEPTH)) }]);
    expect(a.handled()).toBe(0);
  }, 20_000);

  test('nesting up to the cap reaches the schema; one more level does not', async () => {
    const ok = await request(app()).post('/things').set('content-type', 'application/json').send(`{"a":${nested(MAX_JSON_DEPTH - 1)}}`);
    expect(ok.status).toBe(200);
    const deep = await request(app()).post('/things').set('content-type', 'application/json').send(`{"a":${nested(MAX_JSON_DEPTH)}}`);
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0].rule).toBe('too_deep');
  });

  test('brackets inside strings (escaped quotes too) are not nesting', async () => {
    const text = `x\\"${'['.repeat(1000)}{`;
    const res = await request(app()).post('/things').set('content-type', 'application/json').send(`{"a":"${text}"}`);
    expect(res.status).toBe(200);
    expect(res.body.a).toBe(`x"${'['.repeat(1000)}{`);
    expect(jsonDepthExceeds(Buffer.from('{"a":"\\\\"}'), 1)).toBe(false); // an escaped backslash ends before the quote
  });

  test('a body that is not UTF-8 is a 400, JSON or iCalendar; it is not silently patched with U+FFFD', async () => {
    const bad = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe, 0xc0, 0xae]), Buffer.from('"}')]);
    const json = await sendRaw(app(), '/things', 'application/json', bad);
    expect(json.status).toBe(400);
    expect(json.body.errors).toEqual([{ field: 'body', rule: 'invalid_utf8', message: 'must be UTF-8 text' }]);
    const ics = await sendRaw(app(), '/ics', 'text/calendar', Buffer.from([0x42, 0x45, 0xed, 0xa0, 0x80]));
    expect(ics.status).toBe(400);
    expect(ics.body.errors[0].rule).toBe('invalid_utf8');
    const good = await request(app()).post('/ics').set('content-type', 'text/calendar; charset=utf-8').send('BEGIN:VCALENDAR ё');
    expect(good.body).toEqual({ length: 17 });
  });

  test('other charsets are 415 naming the header', async () => {
    for (const [type, route] of [['application/json; charset=utf-16', '/things'], ['text/calendar; charset=windows-1251', '/ics']] as const) {
      const res = await sendRaw(app(), route, type, Buffer.from('{}', 'utf16le'));
      expect(res.status).toBe(415);
      expect(res.body.errors[0]).toMatchObject({ field: 'header:content-type', rule: 'unsupported_charset' });
    }
  });
});

describe('the whole app (no database: refusals happen before any query)', () => {
  const key = 'k'.repeat(40);
  const whole = () =>
    createApp({
      db: {} as Knex,
      client: {} as Client,
      taskQueue: 'unused',
      logger: pino({ level: 'silent' }),
      namespace: 'default',
      auth: { bootstrapAdminKey: key, cacheMs: 0, rateLimitPerMinute: 0 },
    });

  test.each(['/v1/requests', '/v1/requests/SR-00000000000000000000000000/customer-replies', '/v1/products', '/v1/api-keys'])(
    'POST %s with the 131k-level body is a 400 too_deep, before the route looks anything up',
    async (path) => {
      const res = await request(whole()).post(path).set('authorization', `Bearer ${key}`).set('content-type', 'application/json').send(nested(131_000));
      expect([res.status, res.body.errors]).toEqual([400, [expect.objectContaining({ field: 'body', rule: 'too_deep' })]]);
    },
    20_000,
  );

  test("query strings are flat ('simple' parser): brackets make no nested objects", async () => {
    const res = await request(whole()).get('/v1/calendars/supplier/explain?start[a][b]=x&hours=1').set('authorization', `Bearer ${key}`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'query:start[a][b]', rule: 'unrecognized_key' })]));
  });
});
