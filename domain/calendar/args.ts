/** Argument checks shared by the operations: fail loudly instead of computing from NaN. */
import { CalendarComputationError } from './errors';

export function checkInstant(ms: number, name: string): void {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new CalendarComputationError(`${name} must be a finite number of epoch milliseconds, got ${String(ms)}`);
  }
}

export function checkDuration(ms: number, name: string): void {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new CalendarComputationError(`${name} must be a finite, non-negative number of milliseconds, got ${String(ms)}`);
  }
}
