import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../../api/app';
import { isPublicPath } from '../../../api/auth/authenticate';
import { buildOpenApiDocument, renderDocsHtml } from '../../../api/openapi';
import { REQUEST_ACTIONS } from '../../../domain/request/transitions';

// The app is only built, never served against a database: db and client are used inside handlers.
const app = createApp({
  db: {} as Knex,
  client: {} as Client,
  taskQueue: 'unused',
  logger: pino({ level: 'silent' }),
  namespace: 'default',
});
const doc = buildOpenApiDocument();
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

type Json = any;
interface Operation {
  method: string;
  path: string;
  op: Json;
}
const operations: Operation[] = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
  METHODS.flatMap((method) => ((item as Json)[method] ? [{ method, path, op: (item as Json)[method] }] : [])),
);

/** `router.listRoutes()` (router 2.3, under express 5): paths and methods, mounted routers to recurse into. */
interface ListedRoute {
  path: string | RegExp;
  methods: string[] | undefined;
  router: Routes | undefined;
}
interface Routes {
  listRoutes(): ListedRoute[];
}

/** Every route the app would dispatch to: `METHOD /full/path` with express `:param`s as `{param}`. */
function mountedRoutes(router: Routes, prefix = ''): string[] {
  return router.listRoutes().flatMap((r) => {
    if (typeof r.path !== 'string') throw new Error(`a RegExp route under ${prefix || '/'} cannot be checked against the document: ${String(r.path)}`);
    const full = joinPaths(prefix, r.path);
    if (r.router) return mountedRoutes(r.router, full);
    const methods = (r.methods ?? []).map((m) => m.toLowerCase());
    // HEAD is answered for every GET by express itself.
    return methods.filter((m) => !(m === 'head' && methods.includes('get'))).map((m) => `${m} ${toOpenApiPath(full)}`);
  });
}
const joinPaths = (a: string, b: string) => (`${a}/${b}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1') || '/');
const toOpenApiPath = (p: string) =>
  p.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*([A-Za-z0-9_]+)/g, (_m, name: string) => {
    throw new Error(`wildcard "*${name}" in ${p}: document it and extend this test`);
  });

/** Every `$ref` value in the document. */
function refs(value: Json, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}
function resolvePointer(pointer: string): unknown {
  if (!pointer.startsWith('#/')) return undefined;
  return pointer
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<Json>((node, key) => (node && typeof node === 'object' ? node[key] : undefined), doc);
}

describe('the OpenAPI document', () => {
  test('is OpenAPI 3.1 with info, tags and the API-key security schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBeTruthy();
    expect(doc.components?.securitySchemes).toMatchObject({
      bearerAuth: { type: 'http', scheme: 'bearer' },
      apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    });
    expect(operations.length).toBeGreaterThan(30);
  });

  test('every operation has a tag, a unique operationId, a success response and problem-details errors', () => {
    const ids = new Set<string>();
    const declaredTags = new Set((doc.tags ?? []).map((t) => t.name));
    for (const { method, path, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect([where, op.tags?.length]).toEqual([where, 1]);
      expect([where, declaredTags.has(op.tags[0])]).toEqual([where, true]);
      expect([where, ids.has(op.operationId)]).toEqual([where, false]);
      ids.add(op.operationId);
      const statuses = Object.keys(op.responses ?? {});
      expect([where, statuses.some((s) => /^2\d\d$/.test(s))]).toEqual([where, true]);
      for (const s of statuses.filter((s) => /^[45]\d\d$/.test(s))) {
        // readyz answers 503 with its component report, not a problem.
        if (path === '/readyz' && s === '503') continue;
        const response = op.responses[s].$ref ? resolvePointer(op.responses[s].$ref) : op.responses[s];
        expect([where, s, response?.content?.['application/problem+json']?.schema]).toEqual([where, s, { $ref: '#/components/schemas/ProblemDetails' }]);
      }
    }
  });

  test('429 and 503 are listed once, as shared responses with Retry-After, by every operation behind the key layer', () => {
    const shared = { '429': '#/components/responses/TooManyRequests', '503': '#/components/responses/ServiceUnavailable' };
    for (const ref of Object.values(shared)) {
      const response = resolvePointer(ref) as Json;
      expect([ref, response?.headers?.['Retry-After']?.schema]).toEqual([ref, { type: 'integer', minimum: 0 }]);
    }
    const keyed = operations.filter(({ op }) => (op.security ?? doc.security ?? []).length > 0);
    expect(keyed.length).toBeGreaterThan(30);
    for (const { method, path, op } of keyed) {
      const where = `${method.toUpperCase()} ${path}`;
      expect([where, op.responses['429'], op.responses['503']]).toEqual([where, { $ref: shared['429'] }, { $ref: shared['503'] }]);
    }
  });

  test('the shared ProblemDetails schema names each failing field and rule', () => {
    const problem = doc.components?.schemas?.ProblemDetails as Json;
    expect(problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail']));
    expect(problem.properties.errors.items).toEqual({ $ref: '#/components/schemas/FieldError' });
    expect((doc.components?.schemas?.FieldError as Json).required).toEqual(['field', 'rule', 'message']);
  });

  test("a request's representation documents allowedActions with every action of the state machine", () => {
    const schema = doc.components?.schemas?.Request as Json;
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'state', 'allowedActions']));
    expect(schema.properties.allowedActions.items.enum).toEqual([...REQUEST_ACTIONS]);
    const get = (doc.paths?.['/v1/requests/{id}'] as Json).get.responses['200'].content['application/json'].schema;
    expect(get).toEqual({ $ref: '#/components/schemas/Request' });
  });

  test('every $ref resolves', () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(50);
    expect([...new Set(all)].filter((r) => resolvePointer(r) === undefined)).toEqual([]);
  });

  test("every {param} in a path is declared as a path parameter, and every path parameter is in the path", () => {
    for (const { method, path, op } of operations) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'path').map((p) => p.name).sort();
      expect([`${method} ${path}`, declared]).toEqual([`${method} ${path}`, inPath]);
      for (const p of (op.parameters ?? []) as Json[]) if (p.in === 'path') expect(p.required).toBe(true);
    }
  });

  test('health and documentation are public, everything else needs an API key (as the authentication middleware decides)', () => {
    for (const { method, path, op } of operations) {
      const security = op.security ?? doc.security;
      expect([`${method} ${path}`, security.length === 0]).toEqual([`${method} ${path}`, isPublicPath(path)]);
      if (!isPublicPath(path)) expect([`${method} ${path}`, Object.keys(op.responses)]).toEqual([`${method} ${path}`, expect.arrayContaining(['401', '403'])]);
    }
  });

  test('bodies are the routers\' own schemas: strict objects reject unknown fields', () => {
    const registration = doc.components?.schemas?.Registration as Json;
    expect(registration).toMatchObject({ type: 'object', additionalProperties: false, required: expect.arrayContaining(['subject', 'channel', 'category']) });
    const post = (doc.paths?.['/v1/requests'] as Json).post;
    expect(post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Registration' });
    expect(post.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'idempotency-key' })]));
  });

  test('no string or field name a request may carry admits U+0000, which the API refuses (api/validate.ts)', () => {
    const refusesNul = (patterns: unknown[]) => patterns.some((p) => typeof p === 'string' && !new RegExp(p, 'u').test('a\u0000b'));
    const admitted: string[] = [];
    let strings = 0;
    const seen = new Set<Json>();
    const visit = (schema: Json, where: string): void => {
      const s = schema?.$ref ? resolvePointer(schema.$ref) : schema;
      if (!s || typeof s !== 'object' || seen.has(s)) return;
      seen.add(s);
      const types = [s.type].flat();
      if (types.includes('string') && !(s.format || s.enum || 'const' in s)) {
        strings++;
        if (!refusesNul([s.pattern, ...(s.allOf ?? []).map((a: Json) => a.pattern)])) admitted.push(where);
      }
      if (types.includes('object') && s.additionalProperties !== false && !refusesNul([s.propertyNames?.pattern]) && !s.oneOf) admitted.push(`${where} (field names)`);
      for (const [k, v] of Object.entries(s.properties ?? {})) visit(v, `${where}.${k}`);
      for (const k of ['items', 'additionalProperties']) visit(s[k], `${where}[]`);
      for (const k of ['anyOf', 'oneOf', 'allOf']) for (const v of s[k] ?? []) visit(v, where);
    };
    for (const { method, path, op } of operations) {
      for (const p of op.parameters ?? []) visit(p.schema, `${method} ${path} ${p.in}:${p.name}`);
      for (const [media, c] of Object.entries<Json>(op.requestBody?.content ?? {})) visit(c.schema, `${method} ${path} ${media}`);
    }
    expect(strings).toBeGreaterThan(100);
    expect(admitted).toEqual([]);
  });

  test('the live event stream documents each event as an SSE reader parses it', () => {
    const event = (doc.paths?.['/ui/events'] as Json).get.responses['200'].content['text/event-stream'].schema;
    expect(event).toMatchObject({ type: 'object', required: expect.arrayContaining(['event', 'data']) });
    expect(event.properties.event.enum).toEqual(['ready', 'changed', 'resync']);
    expect(event.properties.data.type).toBe('string');
  });
});

describe('completeness: the document and the mounted routes are the same set', () => {
  const mounted = mountedRoutes((app as unknown as { router: Routes }).router);
  const documented = operations.map((o) => `${o.method} ${o.path}`);

  test('the app walk finds the routes (sanity check of the walk itself)', () => {
    expect(mounted).toEqual(expect.arrayContaining(['post /v1/requests', 'get /v1/requests/{id}', 'get /healthz', 'get /openapi.json', 'put /v1/calendars/{id}']));
    expect(new Set(mounted).size).toBe(mounted.length);
  });

  test('every mounted route is documented (add it to api/openapi/paths/* with the router\'s schemas)', () => {
    expect(mounted.filter((r) => !documented.includes(r)).sort()).toEqual([]);
  });

  test('every documented operation is mounted', () => {
    expect(documented.filter((d) => !mounted.includes(d)).sort()).toEqual([]);
  });
});

describe('served', () => {
  test('GET /openapi.json needs no key and is the document', async () => {
    const res = await request(app).get('/openapi.json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  test('GET /docs is a self-contained page: every operation, no scripts, nothing fetched from elsewhere', async () => {
    const res = await request(app).get('/docs').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    const html = res.text;
    expect(html).toBe(renderDocsHtml(doc));
    expect(html).not.toMatch(/<script|<link|<img|@import|src=/i);
    expect(html).not.toMatch(/(href|url)\s*[=(]\s*["']?https?:/i);
    for (const { path } of operations) expect(html).toContain(`<code>${path}</code>`);
    expect(html).toContain('id="schema-ProblemDetails"');
  });
});

describe('a method the document does not list on a path it does', () => {
  test.each([
    ['trace', '/healthz', 'GET, HEAD'],
    ['post', '/readyz', 'GET, HEAD'],
    ['delete', '/v1/requests', 'GET, POST, HEAD'],
    ['put', '/v1/requests/SR-00000000000000000000000000/resolve', 'POST'],
  ] as const)('%s %s is 405 with Allow: %s, problem details, before any key is asked for', async (method, path, allow) => {
    const res = await request(app)[method](path);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 405, title: 'Method not allowed' });
  });

  test('an unknown path is still 404 (behind the key check) and OPTIONS is left to the routers', async () => {
    expect((await request(app).trace('/nowhere')).status).toBe(401);
    expect((await request(app).options('/healthz')).status).not.toBe(405);
  });
});
