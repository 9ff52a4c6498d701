// The OpenAPI document and the running server, held together the way an OpenAPI-driven fuzzer
// (schemathesis-like) would: for every documented operation, requests generated from the
// document's own schemas (formats, patterns, lengths, required fields, enums) must not be
// refused with a 400 for a reason the document does not state. A 400 passes only when every
// field it names is mentioned in the operation's documentation (its description, or a
// description of its parameters or body: cross-field rules live there); 404, 409 and 422 are
// business answers and pass. Never a 5xx, and never a status the operation does not document.
// A failure prints fast-check's seed; rerun with FUZZ_SEED=<seed>. CONTRACT_RUNS: inputs per operation.
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { buildOpenApiDocument } from '../../api/openapi';
import { adminKey, apiUrls, http, uniqueKey } from './helpers';

type Json = any;
const RUNS = Number(process.env.CONTRACT_RUNS ?? 8);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const doc = buildOpenApiDocument() as Json;
const deref = (s: Json): Json => (s?.$ref ? deref(doc.components.schemas[s.$ref.split('/').pop()]) : s);

// A generator of values valid against a JSON Schema (the subset the document uses) ---------------

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const dateArb = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const dateTimeArb = fc
  .tuple(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: -12, max: 14 }), fc.boolean())
  .map(([d, h, z]) => (z ? d.toISOString() : `${new Date(d.getTime() + h * 3_600_000).toISOString().slice(0, 19)}${h < 0 ? '-' : '+'}${pad(Math.abs(h))}:00`));

function arb(schema: Json, depth = 0): fc.Arbitrary<unknown> {
  const s = deref(schema) ?? {};
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.const !== undefined) return fc.constant(s.const);
  const variants = s.oneOf ?? (s.anyOf && !s.anyOf.every((v: Json) => v.required && !v.type) ? s.anyOf : undefined);
  if (variants) return fc.oneof(...variants.map((v: Json) => arb({ ...s, oneOf: undefined, anyOf: undefined, ...deref(v) }, depth + 1)));
  if (s.allOf) {
    // Patterns side by side (e.g. "not blank" and "no NUL"): generated from the first, checked against all.
    const parts = s.allOf.map(deref);
    const patterns = [s.pattern, ...parts.map((p: Json) => p.pattern)].filter(Boolean);
    return arb(Object.assign({}, s, ...parts, { allOf: undefined, pattern: patterns[0], patterns }), depth + 1);
  }
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ['object'] : ['string'];
  return fc.oneof(...types.map((t) => typed(t, s, depth)));
}

function typed(type: string, s: Json, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: s.minimum ?? (s.exclusiveMinimum ?? -1) + 1, max: Math.min(s.maximum ?? 1_000, 1_000_000) });
    case 'number': {
      const min = s.minimum ?? s.exclusiveMinimum ?? 0;
      return fc.double({ min, max: s.maximum ?? 1_000, noNaN: true, noDefaultInfinity: true, minExcluded: s.exclusiveMinimum !== undefined }).map((n) => Math.round(n * 100) / 100 || s.maximum || 1);
    }
    case 'array': {
      const max = Math.min(s.maxItems ?? 3, 3);
      return fc.array(arb(s.items ?? {}, depth + 1), { minLength: Math.min(s.minItems ?? 0, max), maxLength: Math.max(max, s.minItems ?? 0) });
    }
    case 'object': {
      const props: Record<string, Json> = s.properties ?? {};
      const required = new Set<string>(s.required ?? []);
      // `anyOf: [{required}, …]` (e.g. agent or group): one of the alternatives' fields too.
      const alternatives: string[][] = (s.anyOf ?? []).filter((v: Json) => v.required && !v.type).map((v: Json) => v.required);
      const pick = alternatives.length > 0 ? fc.constantFrom(...alternatives) : fc.constant([] as string[]);
      const entries = Object.entries(props).map(([k, v]) => fc.tuple(fc.constant(k), depth > 6 ? fc.constant(undefined) : arb(v, depth + 1), fc.boolean()));
      return fc.tuple(fc.tuple(...entries), pick).map(([values, also]) => {
        const out: Record<string, unknown> = {};
        for (const [k, v, include] of values as Array<[string, unknown, boolean]>) if (v !== undefined && (include || required.has(k) || also.includes(k))) out[k] = v;
        return out;
      });
    }
    default:
      return stringArb(s);
  }
}

function stringArb(s: Json): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? 40;
  if (s.format === 'date') return dateArb;
  if (s.format === 'date-time') return dateTimeArb;
  if (s.format === 'email' && !s.pattern) return fc.emailAddress();
  const base = s.pattern ? fc.stringMatching(new RegExp(s.pattern)) : fc.string({ minLength: min, maxLength: Math.min(max, min + 40) });
  const excluded: unknown[] = s.not?.enum ?? [];
  return base.filter((v) => v.length >= min && v.length <= max && (s.patterns ?? []).every((p: string) => new RegExp(p).test(v)) && !excluded.includes(v));
}

// Operations -------------------------------------------------------------------------------------

interface Op {
  method: string;
  path: string;
  op: Json;
  /** Every word of the operation's documentation: its description and its parameters' and body's. */
  documented: Set<string>;
}
function descriptions(value: Json, out: string[] = [], seen = new Set<Json>()): string[] {
  if (!value || typeof value !== 'object' || seen.has(value)) return out;
  seen.add(value);
  if (value.$ref) descriptions(deref(value), out, seen);
  for (const [k, v] of Object.entries(value)) {
    if (k === 'description' && typeof v === 'string') out.push(v);
    else if (k !== 'responses') descriptions(v, out, seen);
  }
  return out;
}
const OPS: Op[] = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
  ['get', 'post', 'put', 'delete', 'patch']
    // An event stream (GET /ui/events) never ends by design; screen.e2e.test.ts covers it.
    .filter((m) => item[m] && !item[m].responses?.['200']?.content?.['text/event-stream'])
    .map((m) => ({
      method: m.toUpperCase(),
      path,
      op: item[m],
      documented: new Set(descriptions(item[m]).join(' ').match(/[A-Za-z][A-Za-z0-9-]*/g) ?? []),
    })),
);

// Records the generated requests may name in their paths (so validation goes past "not found").
const run = uniqueKey('ct');
const seeded: Record<string, string> = {};
const today = new Date().toISOString().slice(0, 10);
beforeAll(async () => {
  const ok = async (p: Promise<{ status: number; body: Json }>, what: string) => {
    const r = await p;
    if (r.status !== 201) throw new Error(`seeding ${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  seeded.productId = `${run}-prod`;
  seeded.customerId = `${run}-cust`;
  seeded.officeId = `${run}-office`;
  await ok(http('POST', '/v1/products', { body: { id: seeded.productId, name: 'Contract product', kind: 'commercial' } }), 'product');
  await ok(http('POST', '/v1/offices', { body: { id: seeded.officeId, name: 'Contract office', operator: 'supplier', calendarId: 'office-moscow' } }), 'office');
  await ok(http('POST', '/v1/customers', { body: { id: seeded.customerId, name: 'Contract customer', officeId: seeded.officeId } }), 'customer');
  await ok(http('POST', `/v1/customers/${seeded.customerId}/licenses`, { body: { id: `${run}-lic`, productId: seeded.productId, purchasedOn: today } }), 'licence');
  const registered = await ok(
    http('POST', '/v1/requests', { body: { subject: 'Contract', customerId: seeded.customerId, productId: seeded.productId, channel: 'supplier-email', category: 'defect-report', externalRef: `${run}-req` } }),
    'request',
  );
  seeded.requestId = registered.id;
  seeded.calendarId = `${run}-cal`;
  const week = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]]));
  await ok(http('PUT', `/v1/calendars/${seeded.calendarId}`, { body: { timezone: 'Europe/Moscow', week } }), 'calendar');
});

function paramValue(path: string, name: string, schema: Json): fc.Arbitrary<string> {
  const known =
    name === 'id' ? (path.startsWith('/v1/requests/') ? seeded.requestId : path.startsWith('/v1/calendars/') ? seeded.calendarId : undefined) : seeded[name];
  const generated = stringArb(deref(schema) ?? {}).filter((v) => v.length > 0);
  return known ? fc.oneof({ weight: 4, arbitrary: fc.constant(known) }, { weight: 1, arbitrary: generated }) : generated;
}

interface Case {
  path: string;
  query: string;
  headers: Record<string, string>;
  body: unknown;
}
function caseArb(o: Op): fc.Arbitrary<Case> {
  const params: Json[] = o.op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const headerParams = params.filter((p) => p.in === 'header');
  const optional = (p: Json, value: fc.Arbitrary<unknown>) => (p.required ? value : fc.option(value, { nil: undefined }));
  const nonNull = (schema: Json) => arb({ ...deref(schema), type: Array.isArray(deref(schema)?.type) ? deref(schema).type.filter((t: string) => t !== 'null') : deref(schema)?.type });
  const json = o.op.requestBody?.content?.['application/json']?.schema;
  return fc.record({
    path: fc.tuple(...pathParams.map((p) => paramValue(o.path, p.name, p.schema))).map((values) => {
      const byName = Object.fromEntries(pathParams.map((p, i) => [p.name, values[i]]));
      return o.path.replace(/\{([^}]+)\}/g, (_m, n: string) => encodeURIComponent(String(byName[n])));
    }),
    query: fc.tuple(...queryParams.map((p) => optional(p, nonNull(p.schema)))).map((values) =>
      values
        .map((v, i) => (v === undefined ? undefined : `${encodeURIComponent(queryParams[i].name)}=${encodeURIComponent(String(v))}`))
        .filter(Boolean)
        .join('&'),
    ),
    headers: fc.tuple(...headerParams.map((p) => optional(p, nonNull(p.schema)))).map((values) =>
      Object.fromEntries(values.flatMap((v, i) => (v === undefined ? [] : [[headerParams[i].name, String(v)]]))),
    ),
    body: json ? arb(json) : fc.constant(undefined),
  });
}

const ERROR_FIELD_PREFIX = /^(query|header|path)[:.]|^body\.?/;
/** The words naming a field of an error, e.g. "query:to" -> ["to"], "sla.targets.byPriority" -> ["sla", "targets", "byPriority"]. */
const fieldWords = (field: string) => field.replace(ERROR_FIELD_PREFIX, '').split(/[.[\]]+/).filter((w) => /^[A-Za-z]/.test(w));

const statuses = new Map<number, number>();
/** The documented 400s met, `METHOD path field rule` → count, to read what the criterion let through. */
const documented400s = new Map<string, number>();
afterAll(() => {
  console.log(`contract: ${OPS.length} operations; statuses ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  console.log(`documented 400s:\n${[...documented400s].map(([k, n]) => `  ${k} ×${n}`).join('\n')}`);
});

// The .ics operation's body is a file, not a schema to generate from: its JSON-less cases are in hostile-bodies and calendars.
describe.each(OPS.filter((o) => !(o.op.requestBody && !o.op.requestBody.content['application/json'])).map((o) => [`${o.method} ${o.path}`, o] as const))('%s', (_name, o) => {
  test(`${RUNS} requests valid against the document: no 5xx, no 400 for a reason it does not state`, async () => {
    await fc.assert(
      fc.asyncProperty(caseArb(o), async (c) => {
        const res = await http(o.method, `${c.path}${c.query ? `?${c.query}` : ''}`, { headers: c.headers, ...(c.body !== undefined && { body: c.body }) });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const where = `${o.method} ${c.path}?${c.query} headers ${JSON.stringify(c.headers)} body ${JSON.stringify(c.body)?.slice(0, 400)} → ${res.status} ${JSON.stringify(res.body)?.slice(0, 400)}`;
        if (res.status >= 500) throw new Error(`server error: ${where}`);
        if (!(String(res.status) in o.op.responses)) throw new Error(`status ${res.status} is not among the operation's documented responses (${Object.keys(o.op.responses).join(', ')}): ${where}`);
        if (res.status === 400) {
          const errors: Array<{ field: string; rule: string }> = res.body?.errors ?? [];
          const undocumented = errors.filter((e) => !fieldWords(e.field).some((w) => o.documented.has(w)));
          if (errors.length === 0 || undocumented.length > 0) throw new Error(`400 for a reason the document does not state (${JSON.stringify(undocumented)}): ${where}`);
          for (const e of errors) documented400s.set(`${o.method} ${o.path} ${e.field} ${e.rule}`, (documented400s.get(`${o.method} ${o.path} ${e.field} ${e.rule}`) ?? 0) + 1);
        }
      }),
      { numRuns: RUNS, endOnFailure: true, ...(SEED !== undefined && { seed: SEED }) },
    );
  });
});

test('a value against the document is refused, naming the field and the rule: dates, date-times, required, patterns', async () => {
  const c = `/v1/customers/${seeded.customerId}`;
  const cases: Array<[string, string, unknown, string]> = [
    ['POST', `${c}/licenses`, { id: `${run}-l2`, productId: seeded.productId, purchasedOn: '2026-02-30' }, 'purchasedOn'],
    ['POST', '/v1/products', { id: `${run}-p2`, name: 'P', kind: 'commercial', supportWithdrawnFrom: '01.02.2026' }, 'supportWithdrawnFrom'],
    ['POST', `/v1/requests/${seeded.requestId}/responses`, { visibility: 'internal', author: '   ', body: 'x' }, 'author'],
    ['POST', '/v1/requests', { subject: 'No reference', channel: 'supplier-email', category: 'defect-report' }, 'externalRef'],
  ];
  for (const [method, path, body, field] of cases) {
    const res = await http(method, path, { body });
    expect([res.status, res.body.errors?.map((e: Json) => e.field)]).toEqual([400, expect.arrayContaining([field])]);
  }
  const report = await http('GET', '/v1/reports/sla?from=2026-02-01&to=2026-03-01T00:00:00Z');
  expect(report.status).toBe(400);
  expect(report.body.errors[0].field).toMatch(/from/);
});

test('the live event stream sends events as the document describes each one (until its ready event)', async () => {
  const schema = doc.paths['/ui/events'].get.responses['200'].content['text/event-stream'].schema;
  const text = await new Promise<string>((resolve, reject) => {
    const req = httpRequest(`${apiUrls()[0]}/ui/events`, { headers: { authorization: `Bearer ${adminKey()}` } }, (r) => {
      let received = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => {
        received += chunk;
        if (/^event: ready$/m.test(received) && received.endsWith('\n\n')) {
          req.destroy();
          resolve(received);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
  // As an SSE reader dispatches them: a block with data lines is an event; `retry` alone is not.
  const blocks = text.split('\n\n').filter(Boolean).map((block) => Object.fromEntries(block.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)])));
  const events = blocks.filter((b) => 'data' in b);
  expect(events.length).toBeGreaterThan(0);
  for (const e of events) {
    expect(Object.keys(e).filter((k) => !(k in schema.properties))).toEqual([]);
    expect(schema.required.filter((k: string) => !(k in e))).toEqual([]);
    expect(schema.properties.event.enum).toContain(e.event);
    expect(() => JSON.parse(String(e.data))).not.toThrow();
  }
  expect(events.at(-1)).toEqual({ event: 'ready', data: JSON.stringify({ listening: true }) });
});

test('TRACE and other undocumented methods on documented paths are 405 with Allow, as problem details', async () => {
  for (const [method, path, allow] of [
    ['TRACE', '/healthz', 'GET, HEAD'],
    ['DELETE', '/v1/requests', 'GET, POST, HEAD'],
    ['PATCH', `/v1/calendars/${seeded.calendarId}`, 'GET, PUT, HEAD'],
  ] as const) {
    // node:http, since fetch refuses to send TRACE.
    const res = await new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
      const req = httpRequest(`${apiUrls()[0]}${path}`, { method, headers: { authorization: `Bearer ${adminKey()}` } }, (r) => {
        r.resume();
        r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers }));
      });
      req.on('error', reject);
      req.end();
    });
    expect([res.status, res.headers.allow, res.headers['content-type']]).toEqual([405, allow, expect.stringMatching(/^application\/problem\+json/)]);
  }
});
