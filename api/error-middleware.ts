import type { ErrorRequestHandler } from 'express';
import { WorkflowUpdateFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from 'pino';
import { unavailableDependency } from './dependency-errors';
import {
  AdmissionRefusedError,
  CustomerScopeError,
  IdempotencyKeyReusedError,
  MissingCalendarError,
  MissingIntakeKeyError,
  RegistrationBusyError,
} from '../services/registration/errors';
import { ForbiddenProblem } from './auth/principal';
import { RefusalProblem } from './policy/http';
import { DirectoryEntryRefusedError } from '../services/recipient-directory';
import { ReportingRefusedError, ScheduleUnavailableError, UnknownContractError } from '../services/contract-reporting';
import {
  CalendarBusyError,
  CalendarComputationRefusedError,
  CalendarConflictError,
  CalendarInputError,
  CalendarNotFoundError,
} from '../services/calendars/errors';
import { ConflictProblem, DependencyUnavailableProblem, NotFoundProblem, Problem, UnavailableProblem, ValidationProblem } from './problems';

/**
 * The one place errors become HTTP responses (RFC 9457 problem details). Sits last in the
 * chain; Express 5 routes async handler rejections here. Only server faults are logged with
 * stacks, and stacks never reach the client.
 */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const problem = toProblem(err);
    if (problem instanceof DependencyUnavailableProblem) {
      // Expected while a component restarts: one line, no stack.
      logger.warn({ requestId: req.id, dependency: problem.dependency, error: String((err as Error)?.message ?? err) }, 'dependency unavailable');
    } else if (problem.status >= 500 && problem.status !== 503) logger.error({ err, requestId: req.id }, 'request failed');
    if (problem instanceof UnavailableProblem) res.setHeader('Retry-After', String(problem.retryAfterSeconds));
    res
      .status(problem.status)
      .type('application/problem+json')
      .json({
        type: 'about:blank',
        title: problem.title,
        status: problem.status,
        detail: problem.message,
        instance: req.originalUrl,
        requestId: req.id,
        ...problem.extra,
      });
  };
}

/** The problem an error answers (idempotent actions also store it, to answer a retry the same). */
export function toProblem(err: unknown): Problem {
  if (err instanceof Problem) return err;
  const named = registrationProblem(err) ?? calendarProblem(err);
  if (named) return named;
  const e = err as { type?: string; status?: number; message?: string; code?: string };
  // body-parser's own failures carry a `type`.
  if (e?.type === 'entity.parse.failed') {
    return new Problem(400, 'Invalid request', 'body is not valid JSON', { errors: [{ field: 'body', rule: 'invalid_json', message: 'body is not valid JSON' }] });
  }
  if (e?.type === 'entity.too.large') return new Problem(413, 'Payload too large', 'body exceeds the size limit');
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') return new Problem(415, 'Unsupported media type', e.message ?? 'unsupported encoding');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return new Problem(e.status, 'Bad request', e.message ?? 'bad request');
  // PostgreSQL cannot store the character (U+0000, invalid UTF-8): the input's fault, and its
  // statement wrote nothing. Inputs are checked before (`unstorableTextErrors`); this covers text
  // that reaches a query another way (e.g. from an .ics body).
  if (e?.code === '22021' || e?.code === '22P05') {
    const message = 'holds a character that cannot be stored (e.g. U+0000)';
    return new Problem(400, 'Invalid request', `input ${message}`, { errors: [{ field: 'body', rule: 'invalid_character', message }] });
  }
  const dependency = unavailableDependency(err);
  if (dependency) return new DependencyUnavailableProblem(dependency);
  if (err instanceof WorkflowNotFoundError) return new Problem(404, 'Not found', 'request does not exist');
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    // An update validator refused the action: the request's state does not allow it.
    const details = (err.cause.details?.[0] ?? {}) as Record<string, unknown>;
    return new Problem(409, 'Conflict', err.cause.message, { reason: err.cause.type, ...details });
  }
  return new Problem(500, 'Internal server error', 'unexpected error');
}

/** Why a registration did not happen (services/registration/errors.ts). */
function registrationProblem(err: unknown): Problem | undefined {
  if (err instanceof CustomerScopeError) {
    return new ForbiddenProblem(err.message, [{ field: 'customerId', rule: 'customer_scope', message: `must be "${err.scope}", the customer this key is limited to` }]);
  }
  if (err instanceof MissingIntakeKeyError) return new ValidationProblem([{ field: 'externalRef', rule: 'required', message: err.message }]);
  if (err instanceof IdempotencyKeyReusedError) {
    const field = err.kind === 'idempotency-key' ? 'header:idempotency-key' : 'externalRef';
    return new Problem(422, 'Unprocessable request', err.message, {
      rule: 'idempotency-key-reused',
      requestId: err.requestId,
      differingFields: err.fields,
      errors: [
        { field, rule: 'idempotency-key-reused', message: `already used for request ${err.requestId} with other values` },
        ...err.fields.map((f) => ({ field: f, rule: 'idempotency-key-reused', message: `differs from the request first registered with this ${err.kind}` })),
      ],
    });
  }
  if (err instanceof AdmissionRefusedError) return new RefusalProblem(err.refusal);
  if (err instanceof DirectoryEntryRefusedError) return new ValidationProblem([...err.issues], 422);
  if (err instanceof ReportingRefusedError) return new ValidationProblem([...err.issues], 422);
  if (err instanceof UnknownContractError) return new NotFoundProblem(err.message);
  if (err instanceof ScheduleUnavailableError) return new UnavailableProblem(err.message, 5);
  if (err instanceof MissingCalendarError) {
    return new ConflictProblem(err.message, {
      rule: 'unknown-calendar',
      calendarId: err.calendarId,
      errors: [{ field: err.field, rule: 'unknown-calendar', message: `${err.via} works on calendar "${err.calendarId}", which does not exist` }],
    });
  }
  if (err instanceof RegistrationBusyError) return new UnavailableProblem(err.message);
  return undefined;
}

/** Why a calendar change or query did not happen (services/calendars/errors.ts). */
function calendarProblem(err: unknown): Problem | undefined {
  if (err instanceof CalendarInputError) return new ValidationProblem([...err.issues], err.status);
  if (err instanceof CalendarComputationRefusedError) return new Problem(422, 'Unprocessable request', err.message);
  if (err instanceof CalendarNotFoundError) return new NotFoundProblem(err.what);
  if (err instanceof CalendarConflictError) return new ConflictProblem(err.message, err.extra);
  if (err instanceof CalendarBusyError) return new UnavailableProblem(err.message);
  return undefined;
}
