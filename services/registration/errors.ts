/**
 * Why a registration did not happen, by meaning; `api/error-middleware.ts` turns each into
 * problem details (RFC 9457).
 */
import type { AdmissionRefusal } from '../../domain/policy';
import type { IntakeKeyKind } from '../../domain/request/intake';

/** 403: a customer-scoped key names another customer. */
export class CustomerScopeError extends Error {
  constructor(readonly scope: string) {
    super(`this key registers requests for customer "${scope}" only`);
  }
}

/** 400: neither `externalRef` nor an `Idempotency-Key` header. */
export class MissingIntakeKeyError extends Error {
  constructor() {
    super('externalRef or an Idempotency-Key header is required');
  }
}

/** 422: the key already names a request registered with other content. */
export class IdempotencyKeyReusedError extends Error {
  constructor(
    readonly kind: IntakeKeyKind,
    readonly key: string,
    readonly fields: readonly string[],
    readonly requestId: string,
  ) {
    super(`${kind} "${key}" already names request ${requestId}, registered with other values (${fields.join(', ')}); use a new ${kind} for a new request`);
  }
}

/** 422: the support policy turns the request down. */
export class AdmissionRefusedError extends Error {
  constructor(readonly refusal: AdmissionRefusal) {
    super(refusal.message);
  }
}

/**
 * 409: the request would run on a calendar that does not exist (a configuration fault:
 * nothing is registered, and the same request may be retried once it is fixed).
 */
export class MissingCalendarError extends Error {
  constructor(
    readonly calendarId: string,
    /** The field of the request or record that leads to the calendar, e.g. `officeId`. */
    readonly field: string,
    readonly via: string,
  ) {
    super(`${via} works on calendar "${calendarId}", which does not exist; nothing was registered, retry once it is defined`);
  }
}

/** 503 with Retry-After: the registration could not go ahead now (e.g. its contract's quota lock is contended). */
export class RegistrationBusyError extends Error {
  constructor(detail: string) {
    super(detail);
  }
}
