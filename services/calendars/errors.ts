/**
 * Why a calendar change or query did not happen, by meaning; `api/error-middleware.ts` turns
 * each into problem details (RFC 9457).
 */

/** A field of the request and the rule it broke (the shape of a problem's `errors`). */
export interface CalendarFieldIssue {
  field: string;
  rule: string;
  message: string;
}

/** 400 (malformed) or 422 (well formed but asks too much / cannot be computed): names the fields. */
export class CalendarInputError extends Error {
  constructor(
    readonly issues: readonly CalendarFieldIssue[],
    readonly status: 400 | 422 = 400,
  ) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}

/** 422 without a field: the calendar cannot answer (e.g. a computation that never ends). */
export class CalendarComputationRefusedError extends Error {}

/** 404: the calendar, or a version of it, does not exist. `what` names it ("calendar x"). */
export class CalendarNotFoundError extends Error {
  constructor(readonly what: string) {
    super(`${what} does not exist`);
  }
}

/** 409: the change contradicts what is stored (another spec, a version that would rewrite history). */
export class CalendarConflictError extends Error {
  constructor(
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** 503: other writers kept winning the compare-and-set; the client retries. */
export class CalendarBusyError extends Error {
  constructor(readonly calendarId: string) {
    super(`calendar "${calendarId}" is being changed concurrently; retry`);
  }
}
