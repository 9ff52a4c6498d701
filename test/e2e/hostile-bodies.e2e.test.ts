// Hostile bodies at every body-taking route of the running product (2 API processes): nested
// (up to the 131k-level [[[…]]] that froze an API process for minutes), wide, long, NUL-laden,
// with lone surrogates, not UTF-8, and .ics files that ask for unbounded work. Each must be refused with a 4xx
// problem within BOUND_MS, and /healthz of the same process must answer meanwhile. The bound is
// generous (a stall, not a performance figure: the bench measures those).
// A failure prints fast-check's seed; rerun with FUZZ_SEED=<seed>. HOSTILE_RUNS: inputs per route.
import fc from 'fast-check';
import { buildOpenApiDocument } from '../../api/openapi';
import { adminKey, apiUrls, http, uniqueKey } from './helpers';

type Json = any;
const BOUND_MS = Number(process.env.HOSTILE_BOUND_MS ?? 5_000);
const RUNS = Number(process.env.HOSTILE_RUNS ?? 4);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const LIMIT = 256 * 1024;

const doc = buildOpenApiDocument() as Json;
interface Op {
  method: string;
  path: string;
  json: boolean;
  ics: boolean;
  fields: string[];
}
const resolve = (s: Json): Json => (s?.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s);
const fieldsOf = (s: Json): string[] => {
  const r = resolve(s);
  return [...Object.keys(r?.properties ?? {}), ...[...(r?.anyOf ?? []), ...(r?.oneOf ?? [])].flatMap(fieldsOf)];
};
const OPS: Op[] = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
  ['post', 'put', 'patch', 'delete']
    .filter((m) => item[m]?.requestBody)
    .map((m) => {
      const content = item[m].requestBody.content;
      return { method: m.toUpperCase(), path, json: 'application/json' in content, ics: 'text/calendar' in content, fields: fieldsOf(content['application/json']?.schema) };
    }),
);
/**
 * Ids that need not exist (the guard must hold on routes that look a record up first too), but a
 * calendar that does, so .ics bodies reach the importer.
 */
const calendarId = uniqueKey('hostile-cal');
const pathOf = (op: Op) =>
  op.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    op.path.startsWith('/v1/requests/') && name === 'id' ? `SR-${'0'.repeat(26)}` : op.path.startsWith('/v1/calendars/') && name === 'id' ? calendarId : `hostile-${name}`,
  );

beforeAll(async () => {
  const week = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]]));
  const res = await http('PUT', `/v1/calendars/${calendarId}`, { body: { name: 'Hostile bodies', timezone: 'Europe/Moscow', week } });
  expect(res.status).toBe(201);
});

interface Body {
  kind: string;
  contentType: string;
  bytes: Buffer;
}
const utf8 = (kind: string, text: string, contentType = 'application/json'): Body => ({ kind, contentType, bytes: Buffer.from(text, 'utf8') });

function jsonBodies(op: Op): fc.Arbitrary<Body> {
  const field = fc.constantFrom(...(op.fields.length > 0 ? op.fields : ['subject']));
  return fc.oneof(
    // Nested, up to the body limit: arrays (131k levels in 262 KB), objects, mixed, inside a real field.
    fc.integer({ min: 33, max: 131_000 }).map((n) => utf8(`[×${n}`, '['.repeat(n) + ']'.repeat(n))),
    fc.integer({ min: 33, max: 50_000 }).map((n) => utf8(`{"a":×${n}`, '{"a":'.repeat(n) + '1' + '}'.repeat(n))),
    fc.tuple(field, fc.integer({ min: 33, max: 60_000 })).map(([k, n]) => utf8(`${k}: [{×${n}`, `{${JSON.stringify(k)}:${'[{"x":'.repeat(n / 2)}0${'}]'.repeat(n / 2)}}`)),
    // Wide: many keys, or a long array in a real field.
    fc.integer({ min: 1_000, max: 20_000 }).map((n) => utf8(`${n} keys`, `{${Array.from({ length: n }, (_, i) => `"k${i}":0`).join(',')}}`)),
    fc.tuple(field, fc.integer({ min: 1_000, max: 120_000 })).map(([k, n]) => utf8(`${k}: ${n} items`, `{${JSON.stringify(k)}:[${Array(n).fill('0').join(',')}]}`)),
    // Long strings around the limit (over it: 413).
    fc.tuple(field, fc.integer({ min: LIMIT - 1_000, max: LIMIT + 50_000 })).map(([k, n]) => utf8(`${k}: ${n} chars`, JSON.stringify({ [k]: 'x'.repeat(n) }))),
    // NUL in values and keys, many times over.
    fc.tuple(field, fc.integer({ min: 1, max: 5_000 })).map(([k, n]) =>
      utf8(`NUL ×${n} in ${k}`, `{${JSON.stringify(k)}:${JSON.stringify('a\u0000'.repeat(n))},${Array.from({ length: n }, (_, i) => `"\\u0000${i}":"\\u0000"`).join(',')}}`),
    ),
    // UTF-16 surrogates without their pair, as JSON escapes, in a real field's value and in keys.
    fc.tuple(field, fc.constantFrom('\\ud800', '\\udfff', 'x\\udbff', '\\ude00\\ud83d')).map(([k, lone]) =>
      utf8(`lone surrogate ${lone} in ${k}`, `{${JSON.stringify(k)}:"a${lone}b","k${lone}":"v"}`),
    ),
    // Not UTF-8: invalid sequences inside a string value, or a whole body of arbitrary bytes.
    fc.tuple(field, fc.uint8Array({ minLength: 1, maxLength: 2_000 })).map(([k, junk]) => ({
      kind: `${k}: ${junk.length} bytes (not UTF-8)`,
      contentType: 'application/json',
      bytes: Buffer.concat([Buffer.from(`{${JSON.stringify(k)}:"`), Buffer.from([0xc0, 0xaf]), Buffer.from(junk), Buffer.from([0xff]), Buffer.from('"}')]),
    })),
    fc.uint8Array({ minLength: 1, maxLength: 100_000 }).map((b) => ({ kind: `${b.length} random bytes`, contentType: 'application/json; charset=utf-8', bytes: Buffer.from([0xfe, ...b]) })),
  );
}

const icsEvent = (i: number, rule: string) => `BEGIN:VEVENT\r\nUID:hostile-${i}\r\nSUMMARY:Hostile ${i}\r\nDTSTART;VALUE=DATE:19700101\r\nRRULE:${rule}\r\nEND:VEVENT\r\n`;
const icsFile = (events: string) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\n${events}END:VCALENDAR\r\n`;
const icsBodies: fc.Arbitrary<Body> = fc.oneof(
  // A rule ical.js never stops iterating on (this hung an API process for good).
  fc.integer({ min: 1, max: 50 }).map((n) => utf8(`${n} never-matching rules`, icsFile(Array.from({ length: n }, (_, i) => icsEvent(i, 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;UNTIL=20300101')).join('')), 'text/calendar')),
  // Many events each within the per-event caps: the per-file budget must hold (up to ~1 MB).
  fc.integer({ min: 100, max: 5_000 }).map((n) => utf8(`${n} daily events`, icsFile(Array.from({ length: n }, (_, i) => icsEvent(i, 'FREQ=DAILY;COUNT=1000')).join('')), 'text/calendar')),
  fc.uint8Array({ minLength: 1, maxLength: 50_000 }).map((b) => ({ kind: 'ics, not UTF-8', contentType: 'text/calendar', bytes: Buffer.concat([Buffer.from(icsFile('')), Buffer.from([0xff, 0xfe]), Buffer.from(b)]) })),
);

async function timed(url: string, init: RequestInit): Promise<{ status: number; ms: number; contentType: string; text: string }> {
  const t0 = performance.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(BOUND_MS * 4) });
  const text = await res.text();
  return { status: res.status, ms: performance.now() - t0, contentType: res.headers.get('content-type') ?? '', text };
}

const statuses = new Map<number, number>();
afterAll(() => {
  console.log(`hostile bodies on ${OPS.length} routes: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
});

test('the document lists the body-taking routes this test covers', () => {
  expect(OPS.length).toBeGreaterThan(20);
  expect(OPS.map((o) => `${o.method} ${o.path}`)).toEqual(expect.arrayContaining(['POST /v1/requests', 'POST /v1/requests/{id}/customer-replies', 'PUT /v1/calendars/{id}', 'POST /v1/calendars/{id}/versions/ics']));
});

describe.each(OPS.map((op) => [`${op.method} ${op.path}`, op] as const))('%s', (_name, op) => {
  const bodies = op.json && op.ics ? fc.oneof(jsonBodies(op), icsBodies) : op.ics ? icsBodies : jsonBodies(op);
  test(`${RUNS} hostile bodies: a 4xx problem within ${BOUND_MS} ms, /healthz answering meanwhile`, async () => {
    await fc.assert(
      fc.asyncProperty(bodies, fc.integer({ min: 0, max: apiUrls().length - 1 }), async (body, api) => {
        const base = apiUrls()[api]!;
        const headers = { authorization: `Bearer ${adminKey()}`, 'content-type': body.contentType };
        const [hostile, health] = await Promise.all([
          timed(`${base}${pathOf(op)}${op.ics ? '?effectiveFrom=2030-01-01T00:00:00%2B03:00' : ''}`, { method: op.method, headers, body: body.bytes }),
          timed(`${base}/healthz`, {}),
        ]);
        statuses.set(hostile.status, (statuses.get(hostile.status) ?? 0) + 1);
        const where = `${body.kind} (${body.bytes.length} bytes) → ${hostile.status} in ${Math.round(hostile.ms)} ms: ${hostile.text.slice(0, 200)}`;
        if (hostile.status < 400 || hostile.status >= 500) throw new Error(`not a 4xx: ${where}`);
        if (!hostile.contentType.startsWith('application/problem+json')) throw new Error(`not problem details: ${where}`);
        if (hostile.ms > BOUND_MS) throw new Error(`stalled: ${where}`);
        if (health.status !== 200 || health.ms > BOUND_MS) throw new Error(`/healthz ${health.status} after ${Math.round(health.ms)} ms while sending ${where}`);
      }),
      { numRuns: RUNS, endOnFailure: true, ...(SEED !== undefined && { seed: SEED }) },
    );
  });
});
