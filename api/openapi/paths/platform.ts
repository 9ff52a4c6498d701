import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { jsonResponse } from '../components';
import { defineOperation } from '../define';

/** Health (`api/health/router.ts`) and this documentation (`api/openapi/router.ts`): public. */
export function registerPlatformPaths(registry: OpenAPIRegistry): void {
  const components = 'Each component (database, temporal, worker) with its status (up or down) only; the reasons go to the log. Probed at most once a second';
  defineOperation(registry, {
    method: 'get',
    path: '/healthz',
    tag: 'Health',
    summary: 'Liveness: 200 while the process serves; calls no dependency',
    public: true,
    responses: { 200: jsonResponse('{"status":"ok"}') },
  });
  defineOperation(registry, {
    method: 'get',
    path: '/readyz',
    tag: 'Health',
    summary: 'Readiness: 503 unless the database, Temporal and a polling worker are up',
    public: true,
    responses: { 200: jsonResponse(`Ready. ${components}`), 503: jsonResponse(`Not ready (with Retry-After). ${components}`) },
  });
  defineOperation(registry, {
    method: 'get',
    path: '/openapi.json',
    tag: 'Documentation',
    summary: 'This OpenAPI 3.1 document',
    public: true,
    responses: { 200: jsonResponse('The OpenAPI document') },
  });
  defineOperation(registry, {
    method: 'get',
    path: '/docs',
    tag: 'Documentation',
    summary: 'This document as a readable page',
    public: true,
    responses: { 200: { description: 'An HTML page', content: { 'text/html': { schema: { type: 'string' } } } } },
  });
}
