/**
 * What every operation of the document shares: the problem-details schema of every error
 * response, the security schemes, and helpers to declare parameters and responses.
 */
import { extendZodWithOpenApi, type OpenAPIRegistry, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// `.openapi(...)` on zod types. Zod 4 copies prototype methods onto each schema when it is
// built, so schemas built before this line (the routers', imported first) lack the method:
// `named` registers a clone, built now, and the router's own schema is untouched.
extendZodWithOpenApi(z);

/** Registers `schema` as `#/components/schemas/<name>` and returns the copy to use in paths. */
export function named<T extends z.ZodType>(registry: OpenAPIRegistry, name: string, schema: T): T {
  return registry.register(name, schema.clone());
}

/** One failing field and the rule it broke (`api/problems.ts` FieldError). */
export const FieldErrorSchema = z
  .object({
    field: z.string().describe('Dotted path of the field, e.g. "subject", "sla.channels.0", "query:limit", "path:id", "header:idempotency-key"'),
    rule: z.string().describe('The rule it broke, e.g. "invalid_type", "too_big", "unrecognized_key", "unknown_reference"'),
    message: z.string(),
  });

const ERRORS = 'Each failing field and rule (validation problems)';

/** RFC 9457 problem details, as `api/error-middleware.ts` writes them. */
export const ProblemDetailsSchema = z
  .looseObject({
    type: z.string().describe('Always "about:blank": the status and title say what happened'),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    instance: z.string().describe('The request path and query'),
    requestId: z.string().describe('Correlates the response with the log lines (also the X-Request-Id header)'),
    errors: z.array(FieldErrorSchema).optional().describe(ERRORS),
  })
  .describe('RFC 9457 problem details; other members depend on the problem (e.g. "differences" of a 409, "rule" and "allowed" of a refusal)');

export const SECURITY_SCHEMES = {
  bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <key>`' },
  apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same API key in the `X-API-Key` header' },
} as const;

/** Security of an operation that needs a key: either scheme will do. */
export const KEY_REQUIRED: NonNullable<RouteConfig['security']> = [{ bearerAuth: [] }, { apiKeyHeader: [] }];
/** Health and documentation are public. */
export const PUBLIC: NonNullable<RouteConfig['security']> = [];

/** The registered copy (a `$ref`), set by `registerComponents`. */
let problemDetails: z.ZodType = ProblemDetailsSchema;

export function registerComponents(registry: OpenAPIRegistry): void {
  const fieldError = named(registry, 'FieldError', FieldErrorSchema);
  // The same schema, with `errors` items as a `$ref` to FieldError.
  problemDetails = named(registry, 'ProblemDetails', ProblemDetailsSchema.extend({ errors: z.array(fieldError).optional().describe(ERRORS) }));
  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) registry.registerComponent('securitySchemes', name, { ...scheme });
  for (const { name, description } of Object.values(SHARED_RESPONSES)) {
    registry.registerComponent('responses', name, {
      description,
      headers: { 'Retry-After': { description: 'Seconds to wait before retrying the same call', schema: { type: 'integer', minimum: 0 } } },
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
    });
  }
}

/**
 * Answers any operation behind the key layer can give, whatever the route: a rate limit (api/auth/rate-limit.ts)
 * and a dependency that is down (api/dependency-errors.ts). Each is one `#/components/responses`
 * entry, referred to by every such operation (api/openapi/define.ts), so no route lists them by hand.
 */
export const SHARED_RESPONSES = {
  429: { name: 'TooManyRequests', description: 'Too many requests for this key; retry after `Retry-After` seconds' },
  503: {
    name: 'ServiceUnavailable',
    description: 'A dependency (the database, Temporal) is unavailable or busy; retry the same call (the same externalRef for a registration) after `Retry-After` seconds',
  },
} as const;

/** References to the shared responses, keyed by status. */
export function sharedResponses(): Record<string, { $ref: string }> {
  return Object.fromEntries(Object.entries(SHARED_RESPONSES).map(([status, { name }]) => [status, { $ref: `#/components/responses/${name}` }]));
}

/** A JSON success response with no zod schema of its own: a described object. */
export function jsonResponse(description: string, schema?: z.ZodType): ResponseConfig {
  return {
    description,
    content: { 'application/json': { schema: schema ?? { type: 'object', description, additionalProperties: true } } },
  };
}

/** A page of records: `items` and, unless last, `next` (pass it as `after`). */
export function pageResponse(description: string): ResponseConfig {
  return {
    description,
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['items'],
          properties: {
            items: { type: 'array', items: { type: 'object', additionalProperties: true } },
            next: { type: 'string', description: 'The `after` of the next page; absent on the last page' },
          },
        },
      },
    },
  };
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: each failing field and rule in `errors`',
  401: 'No API key, or an unknown or revoked one',
  403: 'The key\'s role may not do this',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Body larger than the limit',
  415: 'Unsupported media type',
  422: 'Well-formed but refused: unknown references, or refused by the support policy',
  429: 'Too many requests',
  500: 'Unexpected server error',
  503: 'A component is unavailable; retry',
};

/** Problem-details responses for the given statuses, all referring to ProblemDetails. */
export function problems(...statuses: number[]): Record<string, ResponseConfig> {
  return Object.fromEntries(
    statuses.map((s) => [String(s), { description: PROBLEM_DESCRIPTIONS[s] ?? 'Problem', content: { 'application/problem+json': { schema: problemDetails } } }]),
  );
}

/** Path parameters built from the routers' own id schemas. */
export function pathParams(shape: Record<string, z.ZodType>): z.ZodObject {
  return z.object(shape);
}
