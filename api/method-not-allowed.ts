import type { RequestHandler } from 'express';
import { openApiDocument } from './openapi';
import { Problem } from './problems';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * 405 with `Allow` for a method the document does not list on a path it does (`TRACE /healthz`,
 * `DELETE /v1/requests`), instead of a 404 that says the resource is missing. The paths and
 * methods come from the OpenAPI document, so the two cannot disagree. Mounted before
 * authentication: what it reveals is public in /openapi.json anyway. OPTIONS passes through.
 */
export function methodNotAllowed(): RequestHandler {
  const routes = Object.entries(openApiDocument().paths ?? {}).map(([template, item]) => {
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
    const methods = METHODS.filter((m) => (item as Record<string, unknown>)[m] !== undefined).map((m) => m.toUpperCase());
    if (methods.includes('GET')) methods.push('HEAD');
    return { re: new RegExp(`^${pattern}/?$`, 'i'), methods };
  });
  return (req, res, next) => {
    if (req.method === 'OPTIONS') return next();
    const route = routes.find((r) => r.re.test(req.path));
    if (!route || route.methods.includes(req.method)) return next();
    res.set('Allow', route.methods.join(', '));
    throw new Problem(405, 'Method not allowed', `${req.method} is not allowed on ${req.path} (allowed: ${route.methods.join(', ')})`);
  };
}
