/**
 * Bounds on the instants intake and agents give for the past (`receivedAt`, `occurredAt`),
 * read from the environment and checked against this process's clock before anything starts.
 */
import { DEFAULT_INSTANT_BOUNDS, instantBoundsViolation, type InstantBounds } from '../../domain/request/occurred-at';
import { DAY_MS, SECOND_MS } from '../../domain/time-units';
import { ValidationProblem } from '../problems';

function nonNegativeInt(name: string, env: NodeJS.ProcessEnv): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/** INTAKE_MAX_CLOCK_SKEW_SECONDS (default 120) and INTAKE_MAX_BACKDATE_DAYS (default 30). */
export function instantBoundsFromEnv(env: NodeJS.ProcessEnv = process.env): InstantBounds {
  const skew = nonNegativeInt('INTAKE_MAX_CLOCK_SKEW_SECONDS', env);
  const days = nonNegativeInt('INTAKE_MAX_BACKDATE_DAYS', env);
  return {
    maxSkewMs: skew === undefined ? DEFAULT_INSTANT_BOUNDS.maxSkewMs : skew * SECOND_MS,
    maxAgeMs: days === undefined ? DEFAULT_INSTANT_BOUNDS.maxAgeMs : days * DAY_MS,
  };
}

/** 422 naming `field` when the instant (ISO text, already format-checked) is out of bounds. */
export function assertWithinBounds(field: string, iso: string | undefined, bounds: InstantBounds, nowMs = Date.now()): void {
  if (iso === undefined) return;
  const violation = instantBoundsViolation(Date.parse(iso), nowMs, bounds);
  if (violation) throw new ValidationProblem([{ field, rule: violation.rule, message: violation.message }], 422);
}
