import { Problem } from '../problems';

/** 401: no key, or a key that is malformed, unknown or revoked. Sent with `WWW-Authenticate`. */
export class UnauthorizedProblem extends Problem {
  constructor(detail: string) {
    super(401, 'Unauthorized', detail);
  }
}

/** 429: the key (or, without a valid key, the client address) sent too many requests. */
export class TooManyRequestsProblem extends Problem {
  constructor(detail: string, retryAfterSeconds: number | undefined) {
    super(429, 'Too many requests', detail, retryAfterSeconds === undefined ? {} : { retryAfterSeconds });
  }
}
