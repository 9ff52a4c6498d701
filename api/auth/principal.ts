import type { Request } from 'express';
import type { Actor } from '../../domain/request/snapshot';
import type { Caller } from '../../services/registration/service';
import { Problem, type FieldError } from '../problems';

/** What an API key may do (defined in the domain, below the db layer that stores it). */
export type { Role } from '../../domain/auth/roles';
import type { Role } from '../../domain/auth/roles';

/** The caller, resolved from its API key by the authentication middleware. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
  /** A customer's own integration sees and acts only on that customer's requests. */
  customerScope: string | null;
  /** The intake integration the key belongs to: its keys share one idempotency namespace. */
  intakeSource?: string | null;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the authentication middleware on every route but health and docs. */
    principal?: Principal;
  }
}

export class ForbiddenProblem extends Problem {
  /** `errors` names the fields a scoped key may not set as given (e.g. another customer's id). */
  constructor(detail: string, errors?: FieldError[]) {
    super(403, 'Forbidden', detail, errors ? { errors } : {});
  }
}

/**
 * The customer a scoped key is limited to, or null for an unscoped key. Routers use it to
 * filter lists and reports and to refuse reads of other customers' records.
 */
export function customerScopeOf(req: Request): string | null {
  return req.principal?.customerScope ?? null;
}

/**
 * Refuses access to a record of another customer. A scoped key gets 404, not 403, for
 * other customers' records, so ids cannot be probed.
 */
export function canSeeCustomer(req: Request, customerId: string | null | undefined): boolean {
  const scope = customerScopeOf(req);
  return scope === null || scope === customerId;
}

/** The calling key, as recorded with every action it makes (audit). */
export function actorOf(req: Request): Actor {
  const p = req.principal!;
  return { keyId: p.keyId, role: p.role };
}

/** The calling key as registration sees it: its namespace for intake keys and its customer scope. */
export function callerOf(req: Request): Caller {
  const p = req.principal!;
  return { keyId: p.keyId, role: p.role, customerScope: p.customerScope, intakeSource: p.intakeSource ?? null };
}
