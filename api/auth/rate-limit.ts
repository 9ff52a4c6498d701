import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { TooManyRequestsProblem } from './problems';

const WINDOW_MS = 60_000;

/**
 * Requests per minute per API key; requests without a valid key count per client address
 * (so guessing keys is throttled too). `RateLimit`/`RateLimit-Policy` headers (IETF draft 7)
 * on every answer; a refusal is a 429 problem with `Retry-After`. `perMinute` 0 turns it off.
 *
 * The counters live in this process: behind a load balancer each API process allows
 * `perMinute` on its own (a shared store, e.g. Redis, would make it one budget).
 */
export function rateLimiter(perMinute: number): RequestHandler {
  if (perMinute === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => (req.principal ? `key:${req.principal.keyId}` : `ip:${ipKeyGenerator(req.ip ?? '0.0.0.0')}`),
    handler: (req, res, next) => {
      const retryAfter = Number(res.getHeader('Retry-After'));
      const who = req.principal ? `API key ${req.principal.keyId}` : 'this client (no valid API key)';
      next(new TooManyRequestsProblem(`${who} sent more than ${perMinute} requests in a minute; retry later`, Number.isFinite(retryAfter) ? retryAfter : undefined));
    },
  });
}
