import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { RecordIdSchema } from '../../../domain/policy';
import { apiKeyBody, apiKeyIdSchema, apiKeysQuery } from '../../auth/schemas';
import { customerSlaReportQuerySchema, slaReportQuerySchema } from '../../reports/schemas';
import { jsonResponse, named, pageResponse } from '../components';
import { defineOperation } from '../define';

const REPORT = 'Per group: requests, first-response and resolution targets met and breached, compliance; and the total';
const reportResponse = {
  description: `${REPORT}. JSON, or CSV with format=csv or Accept: text/csv`,
  content: {
    'application/json': { schema: { type: 'object', description: REPORT, additionalProperties: true } },
    'text/csv': { schema: { type: 'string', description: 'One line per group, then the total' } },
  },
} as const;

/** API keys (`api/auth/keys.router.ts`), SLA reports (`api/reports/router.ts`) and /metrics. */
export function registerOperationsPaths(registry: OpenAPIRegistry): void {
  const key = { id: apiKeyIdSchema };
  const shown = 'The key without its secret: id, name, role, customer scope, prefix, created, last used, revoked';
  defineOperation(registry, {
    method: 'post',
    path: '/v1/api-keys',
    tag: 'API keys',
    summary: 'Create an API key (admin)',
    description: 'The full key string is in this answer (`key`) and nowhere else, ever: only a hash of its secret is stored.',
    body: named(registry, 'ApiKeyCreation', apiKeyBody),
    responses: { 201: jsonResponse(`${shown}, and \`key\`: the key to use`) },
    errors: [422],
  });
  defineOperation(registry, {
    method: 'get',
    path: '/v1/api-keys',
    tag: 'API keys',
    summary: 'List API keys (admin)',
    query: apiKeysQuery,
    responses: { 200: pageResponse('A page of keys, without secrets') },
  });
  defineOperation(registry, {
    method: 'get',
    path: '/v1/api-keys/{id}',
    tag: 'API keys',
    summary: 'An API key (admin)',
    params: key,
    responses: { 200: jsonResponse(shown) },
    errors: [404],
  });
  defineOperation(registry, {
    method: 'delete',
    path: '/v1/api-keys/{id}',
    tag: 'API keys',
    summary: 'Revoke an API key (admin)',
    description: 'Idempotent. Takes effect at once on the API process that served it, and within the key cache time on the others.',
    params: key,
    responses: { 200: jsonResponse(`${shown} (revokedAt set)`) },
    errors: [404],
  });

  defineOperation(registry, {
    method: 'get',
    path: '/v1/reports/sla',
    tag: 'Reports',
    summary: 'SLA compliance over a period, grouped (operations)',
    query: slaReportQuerySchema,
    responses: { 200: reportResponse },
    errors: [404],
  });
  defineOperation(registry, {
    method: 'get',
    path: '/v1/customers/{customerId}/reports/sla',
    tag: 'Reports',
    summary: "A customer's SLA report over a period, per level",
    params: { customerId: RecordIdSchema },
    query: customerSlaReportQuerySchema,
    responses: { 200: reportResponse },
    errors: [404],
  });

  defineOperation(registry, {
    method: 'get',
    path: '/metrics',
    tag: 'Metrics',
    summary: 'Prometheus metrics of this API process (operations or admin key, unscoped)',
    responses: { 200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } } },
  });
}
