import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

/**
 * gRPC interceptors for the API's Temporal connection: every call gets a deadline (unless the
 * caller set one with `withDeadline`), so an unreachable Temporal fails the request within
 * `timeoutMs` (503 with Retry-After) instead of hanging on retries. The deadline comes first
 * so that it bounds all of the retry interceptor's attempts together.
 */
export function temporalCallInterceptors(timeoutMs: number): Interceptor[] {
  const deadline: Interceptor = (options, nextCall) => {
    const set = options.deadline !== undefined && options.deadline !== Infinity;
    return new InterceptingCall(nextCall(set ? options : { ...options, deadline: Date.now() + timeoutMs }));
  };
  // A refused connection is retried a few times (~0.6 s in all, the default is 10 attempts over
  // ~10 s): the client gets its 503 and retries itself, instead of waiting on this one.
  return [deadline, makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 4 }))];
}
