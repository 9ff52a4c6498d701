/**
 * Role checks, per route: `router.get('/x', requireRole(...READERS), handler)`. The full
 * matrix is in the README ("API keys"). Authentication has already run: a request without a
 * principal never gets here, but the check refuses it (401) all the same.
 */
import type { Request, RequestHandler } from 'express';
import { NotFoundProblem } from '../problems';
import { canSeeCustomer, ForbiddenProblem, type Role } from './principal';
import { UnauthorizedProblem } from './problems';

export const ROLES: readonly Role[] = ['intake', 'agent', 'operations', 'admin'];

/** Reference data and request reads for the support desk and operations. */
export const STAFF: readonly Role[] = ['agent', 'operations', 'admin'];
/** Shared configuration (policy facts, calendars), reports and metrics. */
export const OPERATIONS: readonly Role[] = ['operations', 'admin'];

/** `GET /v1/requests/:id/events`, from the matched route, for problem details. */
function routeOf(req: Request): string {
  const path = typeof req.route?.path === 'string' ? req.route.path : req.path;
  return `${req.method} ${req.baseUrl}${path === '/' && req.baseUrl ? '' : path}`;
}

/** 403 unless the caller's role is one of `roles`. */
export function requireRole(...roles: readonly Role[]): RequestHandler {
  const allowed = new Set(roles);
  return (req, _res, next) => {
    const principal = req.principal;
    if (!principal) throw new UnauthorizedProblem('an API key is required');
    if (!allowed.has(principal.role)) {
      throw new ForbiddenProblem(`a key with role "${principal.role}" may not call ${routeOf(req)} (allowed: ${[...allowed].join(', ')})`);
    }
    next();
  };
}

/**
 * 403 for customer-scoped keys: changes to what all customers share (policy facts, calendars)
 * are the vendor's own, even when the role would allow them.
 */
export function requireUnscoped(): RequestHandler {
  return (req, _res, next) => {
    const scope = req.principal?.customerScope;
    if (scope != null) throw new ForbiddenProblem(`a key limited to customer "${scope}" may not call ${routeOf(req)}`);
    next();
  };
}

/**
 * 404 when a customer-scoped key names another customer in the path (`:customerId` by
 * default): other customers' records do not exist for it, so their ids cannot be probed.
 */
export function requireCustomerInScope(param = 'customerId'): RequestHandler {
  return (req, _res, next) => {
    const customerId = req.params[param];
    if (typeof customerId === 'string' && !canSeeCustomer(req, customerId)) throw new NotFoundProblem(`customer "${customerId}"`);
    next();
  };
}

/** Changes to shared configuration: operations or admin, with a vendor-wide (unscoped) key. */
export const configWriter: readonly RequestHandler[] = [requireRole(...OPERATIONS), requireUnscoped()];
/** Reads of reference data by staff; a scoped key sees only its own customer's records. */
export const staffReader: readonly RequestHandler[] = [requireRole(...STAFF), requireCustomerInScope()];
