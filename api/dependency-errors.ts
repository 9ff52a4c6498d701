import { status } from '@grpc/grpc-js';
import { isGrpcServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

/**
 * Which dependency an error says is down or unreachable, if any: such a failure is not the
 * request's fault nor a bug, so it answers 503 with Retry-After (the client retries, with the
 * same externalRef for a registration) rather than 500.
 */
export type Dependency = 'database' | 'temporal';

// PostgreSQL: admin/crash shutdown, starting up or in recovery, too many connections, and the
// connection exception class (08xxx).
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006']);
// Socket failures under pg's connection (the API reaches Temporal only through gRPC statuses).
const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// node-postgres reports a connection lost mid-query by message only, and knex puts the query's
// SQL in front of it ("select … - Connection terminated unexpectedly").
const PG_CONNECTION_LOST = /(?:^| - )(?:Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect)/;

// gRPC statuses: the server is unreachable, the call's deadline passed, or the server asks
// callers to back off (a rate limit, e.g. Temporal Cloud's per-namespace actions).
const GRPC_TEMPORAL_UNAVAILABLE = new Set<number>([status.DEADLINE_EXCEEDED, status.RESOURCE_EXHAUSTED, status.UNAVAILABLE]);

function classify(err: unknown): Dependency | undefined {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return 'temporal';
  if (isGrpcServiceError(err)) {
    return GRPC_TEMPORAL_UNAVAILABLE.has(err.code) ? 'temporal' : undefined;
  }
  const e = err as { name?: string; code?: unknown; message?: unknown };
  if (e.name === 'KnexTimeoutError') return 'database';
  if (typeof e.code === 'string' && (PG_UNAVAILABLE.has(e.code) || SOCKET_ERRORS.has(e.code))) return 'database';
  if (typeof e.message === 'string' && PG_CONNECTION_LOST.test(e.message)) return 'database';
  return undefined;
}

export function unavailableDependency(err: unknown): Dependency | undefined {
  // Client libraries wrap the transport error (ServiceError.cause, AggregateError.errors).
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0 && seen.size < 10) {
    const current = queue.shift();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const found = classify(current);
    if (found) return found;
    const { cause, errors } = current as { cause?: unknown; errors?: unknown };
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return undefined;
}
