import type { OpenAPIRegistry, ResponseConfig, RouteConfig, ZodRequestBody } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import { KEY_REQUIRED, pathParams, problems, PUBLIC, sharedResponses, SHARED_RESPONSES } from './components';

type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';

/** One operation as the routers see it: the zod schemas they validate with, what they answer. */
export interface OperationSpec {
  method: Method;
  /** OpenAPI path, `{param}` style, e.g. `/v1/requests/{id}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Path parameters: name → the router's schema for it. */
  params?: Record<string, z.ZodType>;
  /** The router's query schema (a zod object). */
  query?: z.ZodObject;
  /** Request headers the route reads. */
  headers?: z.ZodObject;
  /** JSON body schema (the router's own), or explicit content for other media types. */
  body?: z.ZodType | ZodRequestBody;
  responses: Record<string, ResponseConfig>;
  /** Problem statuses besides the ones implied (validation, size, media type, auth, 429 and 503). */
  errors?: number[];
  /** Health and docs: no key. */
  public?: boolean;
}

const isZod = (b: OperationSpec['body']): b is z.ZodType => typeof (b as z.ZodType | undefined)?.safeParse === 'function';

/** Registers the operation with its security and its problem responses (all ProblemDetails). */
export function defineOperation(registry: OpenAPIRegistry, op: OperationSpec): void {
  const statuses = new Set<number>(op.errors ?? []);
  if (op.params || op.query || op.headers || op.body) statuses.add(400);
  if (op.body) [413, 415].forEach((s) => statuses.add(s));
  // The authentication layer: no or a bad key, a role that may not; 429 and 503 are shared below.
  if (!op.public) {
    [401, 403].forEach((s) => statuses.add(s));
    // A route that still lists 429 or 503 gets the shared response all the same.
    for (const s of Object.keys(SHARED_RESPONSES)) statuses.delete(Number(s));
  }
  const request: NonNullable<RouteConfig['request']> = {};
  if (op.params) request.params = pathParams(op.params);
  if (op.query) request.query = op.query;
  if (op.headers) request.headers = op.headers;
  if (op.body) {
    request.body = isZod(op.body)
      ? { required: true, content: { 'application/json': { schema: op.body } } }
      : { required: true, ...op.body };
  }
  registry.registerPath({
    method: op.method,
    path: op.path,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description !== undefined && { description: op.description }),
    operationId: operationId(op.method, op.path),
    security: op.public ? PUBLIC : KEY_REQUIRED,
    request,
    responses: { ...op.responses, ...problems(...[...statuses].sort((a, b) => a - b)), ...(!op.public && sharedResponses()) },
  });
}

/** `post /v1/customers/{customerId}/licenses` → `postV1CustomersCustomerIdLicenses`. */
export function operationId(method: string, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}
