/**
 * Errors named by meaning; the error middleware turns each into RFC 9457 problem details.
 * Handlers throw these and never write error responses themselves.
 */
export interface FieldError {
  /** Dotted path of the offending field, e.g. "subject" or "body" or "header:idempotency-key". */
  field: string;
  /** The rule it broke, e.g. "required", "too_big", "invalid_type". */
  rule: string;
  message: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

const TITLES: Record<number, string> = { 400: 'Invalid request', 413: 'Payload too large', 415: 'Unsupported media type', 422: 'Unprocessable request' };

export class ValidationProblem extends Problem {
  constructor(readonly errors: FieldError[], status = 400) {
    super(status, TITLES[status] ?? 'Invalid request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  }
}

export class NotFoundProblem extends Problem {
  constructor(what: string) {
    super(404, 'Not found', `${what} does not exist`);
  }
}

/** An action the request's current state does not allow (e.g. resolving a closed request). */
export class ConflictProblem extends Problem {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(409, 'Conflict', detail, extra);
  }
}

/** 503: retry later; the error middleware sends `Retry-After`. */
export class UnavailableProblem extends Problem {
  constructor(detail: string, readonly retryAfterSeconds = 1, extra: Record<string, unknown> = {}) {
    super(503, 'Service unavailable', detail, extra);
  }
}

/**
 * PostgreSQL or Temporal is down or unreachable: nothing was decided, so the client retries
 * after `Retry-After` seconds (a registration with the same externalRef).
 */
export class DependencyUnavailableProblem extends UnavailableProblem {
  constructor(readonly dependency: 'database' | 'temporal', retryAfterSeconds = 2) {
    super(`the ${dependency} is unavailable; retry after ${retryAfterSeconds} s`, retryAfterSeconds, { reason: 'dependency-unavailable', dependency, retryAfterSeconds });
  }
}
