import { createHash } from 'node:crypto';
import type { IntakeKey, IntakeKeyKind } from '../../domain/request/intake';
import { requestWorkflowId } from '../../domain/request/workflow-id';

/**
 * A request's identity comes from its intake key, so a retried registration lands on the same
 * request and the same workflow, in any API process. The key is scoped by the caller that
 * sent it (an intake system's own references can't collide with another's).
 *
 * @example requestIdentity('crm', 'TICKET-42').requestId // => 'SR-' + 26 base32 chars, stable
 */
export interface RequestIdentity {
  requestKey: string;
  requestId: string;
  workflowId: string;
}

// Crockford base32: no I/L/O/U, readable over the phone.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function requestIdentity(scope: string, key: string): RequestIdentity {
  const requestKey = `${scope}:${key}`;
  const digest = createHash('sha256').update(requestKey).digest();
  let id = '';
  for (let i = 0; i < 26; i++) id += ALPHABET[digest[i]! & 31];
  const requestId = `SR-${id}`;
  return { requestKey, requestId, workflowId: requestWorkflowId(requestId) };
}

/** The request an intake key names. `|` never occurs in namespaces or customer ids, so the scope is unambiguous. */
export function intakeIdentity(k: IntakeKey): RequestIdentity {
  return requestIdentity(`${k.namespace}|customer:${k.customerKey}|${k.kind}`, k.key);
}

/**
 * The id the scheme before caller scoping derived for the same key (`<kind>` for unscoped keys,
 * `customer:<scope>:<kind>` for customer-scoped ones): requests registered then keep working.
 */
export function legacyIdentity(customerScope: string | null, kind: IntakeKeyKind, key: string): RequestIdentity {
  return requestIdentity(customerScope === null ? kind : `customer:${customerScope}:${kind}`, key);
}
