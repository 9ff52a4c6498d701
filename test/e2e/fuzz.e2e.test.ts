// Property-based fuzzing of every route in the OpenAPI document, against the running product
// (2 API processes, 2 workers, Temporal, PostgreSQL). Each generated input is malformed in
// some way: wrong body shapes, huge or deeply nested bodies, invalid JSON, wrong content types,
// odd headers, junk path parameters and query strings. Whatever it is:
//   - the answer is never a 5xx;
//   - a 4xx is RFC 9457 problem details (application/problem+json, `status` = the status);
//   - a 4xx wrote nothing: no row inserted or updated (PostgreSQL `xmin`) that carries the input.
// Every operation runs on one seed, printed at the end of the run and in every failure; rerun with
// FUZZ_SEED=<seed> (and FUZZ_SHRINK=1 for the smallest counterexample). FUZZ_RUNS sets the total
// number of inputs (default 300).
import { request as httpRequest, Agent } from 'node:http';
import fc from 'fast-check';
import type { Knex } from 'knex';
import { buildOpenApiDocument } from '../../api/openapi';
import { ProblemDetailsSchema } from '../../api/openapi/components';
import { adminKey, apiUrls, http, testDb, uniqueKey } from './helpers';

type Json = any;
interface Op {
  method: string;
  path: string;
  query: string[];
  bodyKeys: string[];
  hasBody: boolean;
}

// The same document the product serves (a test below checks that), built here so each route is a test.
const doc = buildOpenApiDocument() as Json;
const resolve = (s: Json): Json => (s?.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s);
/** Property names a body schema mentions (through $ref, unions and allOf), to aim junk at real fields. */
function keysOf(schema: Json, depth = 0): string[] {
  const s = resolve(schema);
  if (!s || depth > 4) return [];
  const own = Object.keys(s.properties ?? {});
  const nested = [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])].flatMap((x: Json) => keysOf(x, depth + 1));
  return [...new Set([...own, ...nested])];
}
const OPS: Op[] = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
  ['get', 'post', 'put', 'delete', 'patch']
    // An event stream (GET /ui/events) never ends by design; screen.e2e.test.ts covers it.
    .filter((m) => item[m] && !item[m].responses?.['200']?.content?.['text/event-stream'])
    .map((method) => {
      const op = item[method];
      const json = op.requestBody?.content?.['application/json']?.schema;
      return {
        method: method.toUpperCase(),
        path,
        query: (op.parameters ?? []).filter((p: Json) => p.in === 'query').map((p: Json) => p.name),
        bodyKeys: json ? keysOf(json) : [],
        hasBody: op.requestBody !== undefined,
      };
    }),
);
// Anything else under /v1 is a 404 problem.
OPS.push({ method: 'GET', path: '/v1/{junk}', query: [], bodyKeys: [], hasBody: false }, { method: 'POST', path: '/v1/{junk}/{junk2}', query: [], bodyKeys: [], hasBody: true });

const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const RUNS_PER_OP = Math.max(3, Math.ceil(TOTAL_RUNS / OPS.length));
const SEED = process.env.FUZZ_SEED === undefined ? Math.floor(Math.random() * 0x7fffffff) : Number(process.env.FUZZ_SEED);
const REPLAY = `replay with FUZZ_SEED=${SEED}`;
const SHRINK = process.env.FUZZ_SHRINK === '1';

// Records the fuzz may aim at (so validation goes past "not found"), created once per run.
const run = uniqueKey('fz');
const today = new Date().toISOString().slice(0, 10);
const seeded = {
  product: `${run}-prod`,
  office: `${run}-office`,
  customer: `${run}-cust`,
  representative: `${run}-rep`,
  licence: `${run}-lic`,
  purchase: `${run}-upd`,
  pilot: `${run}-pilot`,
  calendar: `${run}-cal`,
  request: '',
  apiKey: '',
};
/** A seeded id for a path parameter, by the resource the path names. */
function seededParam(path: string, name: string): string | undefined {
  const byName: Record<string, string> = {
    productId: seeded.product,
    officeId: seeded.office,
    customerId: seeded.customer,
    representativeId: seeded.representative,
    licenseId: seeded.licence,
    purchaseId: seeded.purchase,
    pilotId: seeded.pilot,
    versionId: '1',
  };
  if (name !== 'id') return byName[name];
  if (path.startsWith('/v1/requests/')) return seeded.request;
  if (path.startsWith('/v1/calendars/')) return seeded.calendar;
  if (path.startsWith('/v1/api-keys/')) return seeded.apiKey;
  return undefined;
}

// Generators ------------------------------------------------------------------------------------

const hex = (b: number) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`;
/** Path segments: percent-encoded arbitrary bytes (invalid UTF-8, NUL…), dots, very long, lookalikes. */
const junkSegment = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 30 }).map((bytes) => [...bytes].map(hex).join('')),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  fc.stringMatching(/^[A-Za-z0-9._~-]{1,300}$/),
  fc.constantFrom(
    '.', '..', '%2e%2e', '%2F', '..%2F..%2Fetc%2Fpasswd', '%', '%ZZ', '%E0%A4%A', '%00', 'a%00b', '%C0%AE', '%20', '+', ';x=1', '~',
    `SR-${'Z'.repeat(26)}`, 'SR-00000000000000000000000000', `SR-${'I'.repeat(26)}`, '__proto__', 'constructor', 'prototype', 'null', 'undefined', '0', '-1', '1e400',
    'x'.repeat(5_000), encodeURIComponent('ё'.repeat(300)), '%F0%9F%98%80', '%ED%A0%80', 'key_', 'key_x.y',
  ),
);

const QUERY_KEYS = ['__proto__', 'constructor', 'a[b]', 'a.b', '', 'limit', 'after', 'at', 'cursor', 'x'.repeat(500)];
const queryValue = fc.oneof(
  junkSegment,
  fc.constantFrom('', '0', '-1', '1e400', '9'.repeat(400), 'NaN', 'Infinity', 'true', 'null', '2026-13-45T25:61:00+99:99', '2026-06-01T12:00:00+03:00', 'normal', 'a,b,,c', 'registered,registered'),
);
function queryArb(op: Op): fc.Arbitrary<string> {
  const key = fc.oneof(op.query.length > 0 ? fc.constantFrom(...op.query) : fc.constant('limit'), fc.constantFrom(...QUERY_KEYS), fc.stringMatching(/^[a-z]{1,12}$/));
  return fc.option(
    fc.array(fc.tuple(key, queryValue, fc.boolean()), { minLength: 1, maxLength: 6 }).map((pairs) =>
      // true: the raw value (junk percent-encodings reach the parser); false: encoded.
      `?${pairs.map(([k, v, raw]) => `${encodeURIComponent(k)}=${raw ? v : encodeURIComponent(v)}`).join('&')}`,
    ),
    { freq: 1, nil: '' },
  ) as fc.Arbitrary<string>;
}

const weirdString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom('', ' ', '   \t ', '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\u202e\u0000\uffff', '0', '42', '-1', '1e400', 'true', 'null', '2026-02-30', '2026-06-01T12:00:00+03:00', 'SR-00000000000000000000000000', '<script>alert(1)</script>', "'; drop table support_requests; --"),
  fc.integer({ min: 1_000, max: 60_000 }).map((n) => 'ж'.repeat(n)),
);
const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: weirdString },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, null, true, false, [], {}, [null], { __proto__: null }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'id', 'kind'), fc.jsonValue({ maxDepth: 2 })) },
);

/** Objects with the schema's own keys (some) holding junk, plus now and then an unknown key. */
function keyedBody(op: Op): fc.Arbitrary<string> {
  const keys = op.bodyKeys.length > 0 ? op.bodyKeys : ['id', 'name'];
  return fc
    .tuple(fc.subarray(keys), fc.array(junkValue, { minLength: keys.length, maxLength: keys.length }), fc.option(fc.constantFrom('__proto__', 'constructor', 'extra', 'ID', ' id')), junkValue)
    .map(([chosen, values, extra, extraValue]) => {
      const entries = chosen.map((k, i) => `${JSON.stringify(k)}:${JSON.stringify(values[i]) ?? 'null'}`);
      // Written as text, so "__proto__" is a real own key of the JSON, as a client would send it.
      if (extra !== null) entries.push(`${JSON.stringify(extra)}:${JSON.stringify(extraValue) ?? 'null'}`);
      return `{${entries.join(',')}}`;
    });
}

/**
 * Valid bodies (on the seeded records), to mutate one field at a time: these get past the
 * schema into admission, references and conflicts, where a half-done write would hide.
 */
function validBody(op: Op, n: number): Record<string, unknown> | undefined {
  const id = `${run}-new-${n}`;
  const author = { author: 'fuzz-agent' };
  const bodies: Record<string, Record<string, unknown>> = {
    'POST /v1/requests': { subject: 'Fuzzed', customerId: seeded.customer, productId: seeded.product, channel: 'supplier-email', category: 'defect-report', externalRef: id },
    'POST /v1/requests/{id}/responses': { ...author, visibility: 'internal', body: `note ${id}` },
    'POST /v1/requests/{id}/wait-on-customer': author,
    'POST /v1/requests/{id}/customer-replies': { ...author, body: `reply ${id}` },
    'POST /v1/requests/{id}/resolve': { ...author, summary: `fixed ${id}` },
    'POST /v1/requests/{id}/close': author,
    'POST /v1/requests/{id}/reopen': author,
    'POST /v1/requests/{id}/cancel': { ...author, reason: 'withdrawn' },
    'POST /v1/requests/{id}/assignment': { ...author, agent: 'agent-1', group: 'cad' },
    'POST /v1/products': { id, name: 'Fuzz product', kind: 'free' },
    'POST /v1/offices': { id, name: 'Fuzz office', operator: 'partner', calendarId: 'office-moscow' },
    'POST /v1/customers': { id, name: 'Fuzz customer', officeId: seeded.office },
    'POST /v1/customers/{customerId}/representatives': { id, name: 'Fuzz rep', email: 'rep@example.com' },
    'POST /v1/customers/{customerId}/licenses': { id, productId: seeded.product, purchasedOn: today },
    'POST /v1/customers/{customerId}/update-purchases': { id, productId: seeded.product, purchasedOn: today },
    'POST /v1/customers/{customerId}/pilots': { id, productIds: [seeded.product], from: today, to: today },
    'PUT /v1/calendars/{id}': { name: 'Fuzz calendar', timezone: 'Europe/Moscow', week: { mon: [['09:00', '18:00']] } },
    'POST /v1/api-keys': { name: `fuzz ${id}`, role: 'intake', customerScope: seeded.customer },
  };
  return bodies[`${op.method} ${op.path}`];
}
function mutatedBody(op: Op): fc.Arbitrary<string> | undefined {
  if (!validBody(op, 0)) return undefined;
  return fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('keep', 'drop', 'junk', 'junk', 'junk', 'extra'), junkValue).map(([n, pick, how, junk]) => {
    const body = validBody(op, n)!;
    const keys = Object.keys(body);
    const key = keys[pick % keys.length]!;
    if (how === 'drop') delete body[key];
    else if (how === 'junk') body[key] = junk;
    else if (how === 'extra') body.unexpected = junk;
    return JSON.stringify(body);
  });
}

const LIMIT = 256 * 1024;
function bodyArb(op: Op): fc.Arbitrary<string | undefined> {
  const mutated = mutatedBody(op);
  return fc.oneof(
    { weight: mutated ? 6 : 0, arbitrary: mutated ?? fc.constant('{}') },
    { weight: 5, arbitrary: keyedBody(op) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v) ?? 'null') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '', ' ', '{', '{"a":', '[1,2', 'nul', "{'a':1}", '{"a":1}}', '\u0000', 'NaN', '1e400', '-0', '"just a string"', '123', 'true', 'null', '[]',
        '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '{"a":1,"a":2}', '{"subject":"\\ud800"}', '{"subject":"a\\u0000b"}',
        '\ufeff{}', '{"x":1e400,"y":-1e400}', '{"limit":"100"}',
      ),
    },
    // Deep nesting, within the size limit.
    { weight: 1, arbitrary: fc.integer({ min: 500, max: 50_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)) },
    { weight: 1, arbitrary: fc.integer({ min: 500, max: 40_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.integer({ min: 500, max: 20_000 }), fc.constantFrom(...(op.bodyKeys.length ? op.bodyKeys : ['id']))).map(([n, k]) => `{${JSON.stringify(k)}:${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`),
    },
    // Huge: around the 256 KB limit, in a real field.
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: LIMIT - 60_000, max: 300_000 }), fc.constantFrom(...(op.bodyKeys.length ? op.bodyKeys : ['subject'])))
        .map(([n, k]) => JSON.stringify({ [k]: 'x'.repeat(n) })),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/JSON',
  'application/merge-patch+json',
  'application/problem+json',
  'text/plain',
  'text/calendar',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'application/xml',
  '*/*',
  'json',
  ';;;',
  'application/json; boundary=;;;',
];
/** `[name, value]` about once in `every` cases, else null. */
const sometimes = (name: string, value: fc.Arbitrary<string>, every: number): fc.Arbitrary<[string, string] | null> =>
  fc.oneof({ weight: every - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: value.map((v): [string, string] => [name, v]) });
const headerText = fc.string({ unit: fc.constantFrom(...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCZabcz[]^_`{|}~\u00a0\u00e9\u00ff'.split('')), maxLength: 300 });

interface Headers {
  auth: 'admin' | 'admin-x-api-key' | 'none' | string;
  contentType: string | null;
  extra: Record<string, string>;
}
const headersArb: fc.Arbitrary<Headers> = fc.record({
  auth: fc.oneof(
    { weight: 20, arbitrary: fc.constant('admin') },
    { weight: 2, arbitrary: fc.constant('admin-x-api-key') },
    { weight: 1, arbitrary: fc.constant('none') },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constantFrom('Bearer', 'Bearer ', 'Bearer  x', 'Basic YWRtaW46YWRtaW4=', 'bearer key_abc.def', 'Bearer key_', 'Bearer key_zzzzzzzz.zzzz', 'Token abc', 'Bearer null'),
        headerText.map((t) => `Bearer ${t}`),
        fc.integer({ min: 1_000, max: 8_000 }).map((n) => `Bearer ${'k'.repeat(n)}`),
      ),
    },
  ),
  contentType: fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: headerText }),
  // Each odd header now and then (a junk X-API-Key next to a good key is a 401, and must stay rare).
  extra: fc
    .tuple(
      sometimes('idempotency-key', fc.oneof(headerText, fc.constantFrom('', ' ', 'a b', 'x'.repeat(201), 'x'.repeat(5_000), 'é')), 4),
      sometimes('x-request-id', fc.oneof(headerText, fc.constant('x'.repeat(5_000))), 6),
      sometimes('x-api-key', fc.oneof(headerText, fc.constant('key_')), 15),
      sometimes('content-encoding', fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'compress', 'x-junk', 'gzip, gzip'), 8),
      sometimes('prefer', fc.oneof(headerText, fc.constant('respond-async')), 6),
      sometimes('accept', fc.oneof(headerText, fc.constantFrom('text/html', 'text/csv', 'application/xml', '*/*;q=0')), 6),
      sometimes('x-fuzz-pad', fc.integer({ min: 1_000, max: 9_000 }).map((n) => 'p'.repeat(n)), 8),
    )
    .map((pairs) => Object.fromEntries(pairs.filter((p): p is [string, string] => p !== null))),
});

interface Case {
  method: string;
  /** The operation's path with `{param}`s, and what goes in each (raw: already percent-encoded or junk). */
  template: string;
  params: string[];
  tail: string;
  query: string;
  headers: Headers;
  body: string | undefined;
  api: number;
}
const pathOf = (c: Case) => {
  let i = 0;
  return c.template.replace(/\{[^}]+\}/g, () => c.params[i++]!) + c.tail + c.query;
};
function caseArb(op: Op): fc.Arbitrary<Case> {
  const params = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const paramArbs = params.map((name) => {
    const known = seededParam(op.path, name);
    return known ? fc.oneof({ weight: 3, arbitrary: fc.constant(encodeURIComponent(known)) }, { weight: 2, arbitrary: junkSegment }) : junkSegment;
  });
  // Mostly the operation's own method; now and then another one on the same path.
  const methodArb = fc.oneof({ weight: 6, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') });
  const body = op.hasBody ? bodyArb(op) : fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: bodyArb(op) });
  return fc.record({
    method: methodArb,
    template: fc.constant(op.path),
    params: fc.tuple(...paramArbs),
    tail: fc.constantFrom('', '', '', '/', '//', '/extra'),
    query: queryArb(op),
    headers: headersArb,
    body,
    api: fc.integer({ min: 0, max: 1 }),
  });
}

// Sending --------------------------------------------------------------------------------------

const agent = new Agent({ keepAlive: true, maxSockets: 8 });
interface Answer {
  status: number;
  contentType: string;
  text: string;
}
/**
 * Node answers 431 by itself, before the app, when the header block passes 16 KB: huge headers,
 * but within the limit. The longest are cut until the whole block fits.
 */
const HEADER_BUDGET = 14_000;
function fitHeaders(headers: Record<string, string>, path: string): void {
  const size = () => Object.entries(headers).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v) + 4, path.length + 20);
  while (size() > HEADER_BUDGET) {
    const [name, value] = Object.entries(headers).sort((a, b) => b[1].length - a[1].length)[0]!;
    headers[name] = value.slice(0, Math.max(0, value.length - (size() - HEADER_BUDGET) - 64));
  }
}

/** node:http, so paths go out exactly as generated (fetch would normalise dots and encodings). */
function send(c: Case): Promise<Answer> {
  const base = new URL(apiUrls()[c.api]!);
  const headers: Record<string, string> = { ...c.headers.extra };
  if (c.headers.auth === 'admin') headers.authorization = `Bearer ${adminKey()}`;
  else if (c.headers.auth === 'admin-x-api-key') headers['x-api-key'] = adminKey();
  else if (c.headers.auth !== 'none') headers.authorization = c.headers.auth;
  if (c.headers.contentType !== null) headers['content-type'] = c.headers.contentType;
  fitHeaders(headers, pathOf(c));
  const body = c.body === undefined ? undefined : Buffer.from(c.body, 'utf8');
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    let answered: Answer | undefined;
    const req = httpRequest({ host: base.hostname, port: base.port, method: c.method, path: pathOf(c), headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        answered = { status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') };
        resolve(answered);
      });
      res.on('error', reject);
    });
    req.setTimeout(60_000, () => req.destroy(new Error('timed out')));
    // The server may answer (413, 415, 401) and close before reading a large body.
    req.on('error', (err: NodeJS.ErrnoException) => (answered || err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    req.end(body);
  });
}

// Rows written ---------------------------------------------------------------------------------

let db: Knex;
let tables: string[] = [];
/** The next transaction id: every row inserted or updated from now on has `xmin` at least this. */
async function nextXid(): Promise<string> {
  const { rows } = await db.raw<{ rows: Array<{ x: string }> }>('select (pg_snapshot_xmax(pg_current_snapshot())::text::bigint % 4294967296)::text as x');
  return rows[0]!.x;
}
/** Rows of every table inserted or updated since `xid`, as JSON text. */
async function rowsWrittenSince(xid: string): Promise<Array<{ table: string; row: string }>> {
  const union = tables.map((t) => `select '${t}' as "table", row_to_json(x)::text as row from "${t}" x where x.xmin::text::bigint >= ${Number(xid)}`).join(' union all ');
  const { rows } = await db.raw<{ rows: Array<{ table: string; row: string }> }>(union);
  return rows;
}

/** Values every valid body shares (seeded ids, catalogue ids, names): rows written by 2xx inputs hold them too. */
const SHARED_VALUES = () => {
  const shared = new Set<string>(Object.values(seeded).filter(Boolean));
  const visit = (v: unknown) => {
    if (typeof v === 'string') shared.add(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  for (const op of OPS) visit(validBody(op, 0));
  shared.delete(`${run}-new-0`);
  return shared;
};
/** Distinctive strings of the input: a row that contains one was written from it. */
function tokensOf(c: Case): string[] {
  const out: string[] = [];
  // Values only: keys are the schemas' own field names, which every row's JSON has too.
  const visit = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  if (c.body !== undefined) {
    try {
      visit(JSON.parse(c.body));
    } catch {
      out.push(c.body);
    }
  }
  const decoded = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  out.push(...c.params.map(decoded), ...c.query.split('&').map((kv) => decoded(kv.slice(kv.indexOf('=') + 1))));
  out.push(...Object.values(c.headers.extra));
  const skip = SHARED_VALUES();
  // Every value, however short, as a whole JSON string value, quotes included ("…-new-9" is not
  // "…-new-95", "a" is not "abc"): a row's JSON text escapes like JSON.stringify does. Long ones
  // by their start (a column may be cut). Only blank strings say nothing about where a row came from.
  return [...new Set(out)]
    .filter((t) => t.trim() !== '' && !skip.has(t) && !/^(x+|p+|k+|ж+)$/.test(t))
    .map((t) => (t.length > 200 ? JSON.stringify(t).slice(0, 200) : JSON.stringify(t)));
}

/**
 * Whether a row's JSON text holds `token` (a JSON string, quotes included) as a value: where a
 * value starts (after `:`, `[` or `,`) and not as a key (followed by `:`). A fuzzed value that is
 * a column's name ("name", "role") is not found in every row's keys (seed 2144821217:
 * `"phone":"name"` matched the key of an api_keys row), nor a value of JSON punctuation in the
 * seams between every row's fields (seed 1159456222: `","` matched `"key_…","name"`).
 */
function holdsValue(rowJson: string, token: string): boolean {
  for (let i = rowJson.indexOf(token); i !== -1; i = rowJson.indexOf(token, i + 1)) {
    const before = rowJson.slice(0, i).trimEnd().at(-1);
    const after = rowJson.slice(i + token.length).trimStart()[0];
    if ((before === ':' || before === '[' || before === ',') && after !== ':') return true;
  }
  return false;
}

const describeCase = (c: Case) =>
  `${c.method} ${((p) => (p.length > 300 ? `${p.slice(0, 300)}…(${p.length})` : p))(pathOf(c))} [auth ${c.headers.auth.slice(0, 40)}, content-type ${String(c.headers.contentType)}, headers ${Object.keys(c.headers.extra).join(',') || '-'}, body ${c.body === undefined ? '-' : c.body.length > 200 ? `${c.body.slice(0, 200)}…(${c.body.length})` : c.body}]`;

/** The properties every answer must have; returns the answer for the caller's own checks. */
async function check(c: Case): Promise<void> {
  const mutating = c.method !== 'GET' && c.method !== 'OPTIONS';
  const xid = mutating ? await nextXid() : undefined;
  const res = await send(c);
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  if (process.env.FUZZ_LOG === '1') console.log(`${res.status} ${describeCase(c).slice(0, 400)} → ${res.text.slice(0, 200)}`);
  const where = `${describeCase(c)} → ${res.status} ${res.text.slice(0, 300)}`;
  if (res.status >= 500) throw new Error(`server error: ${where}`);
  if (xid !== undefined && res.status < 400) accepted.push(c);
  if (res.status >= 400) {
    if (!res.contentType.startsWith('application/problem+json')) throw new Error(`4xx without problem details (${res.contentType}): ${where}`);
    // The documented ProblemDetails schema (errors[] of {field, rule, message}) is the contract.
    const problem = ProblemDetailsSchema.safeParse(JSON.parse(res.text));
    if (!problem.success || problem.data.status !== res.status) throw new Error(`problem details not as documented (${problem.error?.message ?? 'status differs'}): ${where}`);
    if (xid !== undefined) {
      refused.push(c);
      const tokens = tokensOf(c);
      const written = (await rowsWrittenSince(xid)).filter((r) => tokens.some((t) => holdsValue(r.row, t)));
      if (written.length > 0) throw new Error(`a ${res.status} wrote ${written.map((w) => `${w.table}: ${w.row.slice(0, 300)}`).join('; ')} — ${where}`);
    }
  }
}
const refused: Case[] = [];
/** Inputs that were accepted (2xx) and so may write: the rows they wrote are theirs. */
const accepted: Case[] = [];
const statuses = new Map<number, number>();
let startXid = '0';

beforeAll(async () => {
  db = testDb();
  const { rows } = await db.raw<{ rows: Array<{ table_name: string }> }>(
    "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'knex_migrations%'",
  );
  tables = rows.map((r) => r.table_name);
  expect(tables).toEqual(expect.arrayContaining(['support_requests', 'request_events', 'products', 'customers', 'calendars', 'notification_outbox']));

  const ok = (r: { status: number; body: Json }, what: string) => {
    if (r.status !== 201) throw new Error(`seeding ${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  ok(await http('POST', '/v1/products', { body: { id: seeded.product, name: 'Fuzzed product', kind: 'commercial' } }), 'product');
  ok(await http('POST', '/v1/offices', { body: { id: seeded.office, name: 'Fuzz office', operator: 'supplier', calendarId: 'office-moscow' } }), 'office');
  ok(
    await http('POST', '/v1/customers', { body: { id: seeded.customer, name: 'Fuzz customer', officeId: seeded.office, representatives: [{ id: seeded.representative, name: 'Rep' }] } }),
    'customer',
  );
  const c = `/v1/customers/${seeded.customer}`;
  ok(await http('POST', `${c}/licenses`, { body: { id: seeded.licence, productId: seeded.product, purchasedOn: today } }), 'licence');
  ok(await http('POST', `${c}/update-purchases`, { body: { id: seeded.purchase, productId: seeded.product, purchasedOn: today } }), 'update purchase');
  ok(await http('POST', `${c}/pilots`, { body: { id: seeded.pilot, productIds: [seeded.product], from: today, to: today } }), 'pilot');
  const week = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]]));
  ok(await http('PUT', `/v1/calendars/${seeded.calendar}`, { body: { name: 'Fuzz calendar', timezone: 'Europe/Moscow', week } }), 'calendar');
  const registered = ok(
    await http('POST', '/v1/requests', {
      body: { subject: 'Fuzz target', customerId: seeded.customer, productId: seeded.product, channel: 'supplier-email', category: 'defect-report', externalRef: `${run}-req` },
    }),
    'request',
  );
  seeded.request = registered.id;
  const key = await http('POST', '/v1/api-keys', { body: { name: `${run} key`, role: 'intake' } });
  seeded.apiKey = key.status === 201 ? key.body.id : 'key_missing';
  startXid = await nextXid();
});

afterAll(async () => {
  const total = [...statuses.values()].reduce((a, b) => a + b, 0);
  console.log(`fuzz: ${total} inputs on ${OPS.length} operations, seed ${SEED} (${REPLAY}); statuses ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  agent.destroy();
  await db?.destroy();
});

test('the product serves this document at /openapi.json, and /docs, without a key', async () => {
  const served = await http('GET', '/openapi.json', { key: null });
  expect(served.status).toBe(200);
  expect(served.body).toEqual(JSON.parse(JSON.stringify(doc)));
  const page = await fetch(`${apiUrls()[1]}/docs`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
});

describe.each(OPS.map((op) => [`${op.method} ${op.path}`, op] as const))('%s', (_name, op) => {
  test(`${RUNS_PER_OP} malformed inputs: no 5xx, problem details for 4xx, nothing written by a 4xx`, async () => {
    const result = await fc.check(fc.asyncProperty(caseArb(op), check), { numRuns: RUNS_PER_OP, endOnFailure: !SHRINK, seed: SEED });
    if (result.failed) throw new Error(`${fc.defaultReportMessage(result)}\n(${REPLAY})`);
  });
});

test('after the run, no refused input wrote anything late (workflows, outbox)', async () => {
  expect(refused.length).toBeGreaterThan(20);
  // A barrier instead of a pause: a valid registration after every fuzzed input, waited for until
  // its workflow has written its projection and timeline (work queued earlier is done by then).
  const barrier = await http('POST', '/v1/requests', {
    body: { subject: 'Fuzz barrier', customerId: seeded.customer, productId: seeded.product, channel: 'supplier-email', category: 'defect-report', externalRef: `${run}-barrier` },
  });
  expect(barrier.status).toBe(201);
  for (const deadline = Date.now() + 60_000; !(await db('request_events').where({ request_id: barrier.body.id, type: 'registered' }).first()); ) {
    if (Date.now() > deadline) throw new Error('the barrier request was never projected');
    await new Promise((r) => setTimeout(r, 100));
  }
  // A refused input may repeat a value of an accepted one (e.g. the same new id: 201, then 409).
  // The barrier's own rows (request, intake key, timeline) hold values of its own, e.g. `"versionId": "1"`.
  const acceptedTokens = [...accepted.flatMap(tokensOf), JSON.stringify(barrier.body.id)];
  const written = (await rowsWrittenSince(startXid)).filter((w) => !acceptedTokens.some((t) => holdsValue(w.row, t)));
  // Rows written meanwhile may come from elsewhere in the suite (an earlier test's request
  // projected late holds `"versionId": "1"`): here only values of at least four characters
  // count as naming their input (a token is a JSON string, quotes included).
  const late = refused.flatMap((c) => {
    const tokens = tokensOf(c).filter((t) => t.length >= 6);
    return written.filter((w) => tokens.some((t) => holdsValue(w.row, t))).map((w) => `${describeCase(c)} → ${w.table}: ${w.row.slice(0, 300)}`);
  });
  if (late.length > 0) throw new Error(`refused inputs wrote late (${REPLAY}):\n${late.join('\n')}`);
});
