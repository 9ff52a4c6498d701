/**
 * Rate limits: `limit` requests per fixed one-minute window per API key; requests without a
 * valid key count per client address (so guessing keys is throttled too). The counters live in
 * PostgreSQL (`rate_limit_counters`), so the budget holds across every API process: one atomic
 * upsert per counted request, no new server to run.
 *
 * A client known to be over its limit costs nothing more: each process remembers a bucket's
 * refusal until its window ends and answers 429 from memory, and the authentication chain checks
 * a client address's refusal before it looks a key up (api/auth/authenticate.ts).
 *
 * When PostgreSQL does not answer (error, or no answer within COUNTER_TIMEOUT_MS), the limiter
 * falls back to counters in this process for FALLBACK_MS before trying the database again: each
 * process then enforces the limit on its own (N processes allow up to N × the limit) rather than
 * refusing everything or nothing. Routes that need the database answer 503 on their own.
 *
 * `RateLimit` / `RateLimit-Policy` headers (IETF draft 7) on every counted answer; a refusal is
 * a 429 problem with `Retry-After`.
 */
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { hitRateLimitBucket, pruneRateLimitBuckets, type WindowHits } from '../../db/queries/rate-limits';
import { TooManyRequestsProblem } from './problems';

export const RATE_LIMIT_WINDOW_MS = 60_000;
const COUNTER_TIMEOUT_MS = 1_000;
const FALLBACK_MS = 5_000;
const PRUNE_EVERY_MS = 5 * 60_000;
const MAX_TRACKED = 100_000;

/** Counts hits per bucket in fixed windows. */
export interface HitCounter {
  hit(bucket: string, windowMs: number): Promise<WindowHits>;
}

/** Drops expired entries once a map is full; if none expired, the oldest half. */
function makeRoom<V>(map: Map<string, V>, expired: (v: V) => boolean): void {
  if (map.size < MAX_TRACKED) return;
  for (const [k, v] of map) if (expired(v)) map.delete(k);
  if (map.size < MAX_TRACKED) return;
  let n = map.size / 2;
  for (const k of map.keys()) {
    if (n-- <= 0) break;
    map.delete(k);
  }
}

/** Counters in this process: unit tests, and the fallback while PostgreSQL does not answer. */
export function memoryHitCounter(now: () => number = Date.now): HitCounter {
  const windows = new Map<string, WindowHits>();
  return {
    async hit(bucket, windowMs) {
      const t = now();
      let w = windows.get(bucket);
      if (!w || w.resetAtMs <= t) {
        makeRoom(windows, (v) => v.resetAtMs <= t);
        w = { hits: 0, resetAtMs: (Math.floor(t / windowMs) + 1) * windowMs };
        windows.set(bucket, w);
      }
      w.hits += 1;
      return { ...w };
    },
  };
}

/** Counters in PostgreSQL, shared by every API process; falls back to `fallback` (see above). */
export function postgresHitCounter(db: Knex, logger?: Logger, fallback: HitCounter = memoryHitCounter(), now: () => number = Date.now): HitCounter {
  let downUntil = 0;
  let nextPrune = 0;
  const prune = () => {
    pruneRateLimitBuckets(db, 10 * RATE_LIMIT_WINDOW_MS).catch((err: unknown) => logger?.warn({ err }, 'could not prune rate-limit counters'));
  };
  return {
    async hit(bucket, windowMs) {
      const t = now();
      if (t < downUntil) return fallback.hit(bucket, windowMs);
      if (t >= nextPrune) {
        // Spread over processes so they do not all prune at once; the first hit only schedules.
        if (nextPrune !== 0) prune();
        nextPrune = t + PRUNE_EVERY_MS * (0.5 + Math.random());
      }
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          hitRateLimitBucket(db, bucket, windowMs),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${COUNTER_TIMEOUT_MS} ms`)), COUNTER_TIMEOUT_MS);
          }),
        ]);
      } catch (err) {
        if (now() >= downUntil) logger?.warn({ err }, `rate-limit counters unavailable in PostgreSQL: counting in this process for ${FALLBACK_MS / 1000} s`);
        downUntil = now() + FALLBACK_MS;
        return fallback.hit(bucket, windowMs);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export interface RateLimitDecision extends WindowHits {
  allowed: boolean;
}

export interface RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  /** When `who` is known (in this process) to be over its limit: the end of its window. No I/O. */
  deniedUntil(who: string): number | undefined;
  /** Counts one request of `who`; a client already refused in this window is not counted again. */
  hit(who: string): Promise<RateLimitDecision>;
}

/**
 * `limit` hits per window per `who` (`key:<id>` or `ip:<address>`). Buckets carry the policy
 * (`600/60s:key:…`), so API processes configured with different limits keep separate budgets.
 */
export function createRateLimiter(limit: number, counter: HitCounter, now: () => number = Date.now, windowMs = RATE_LIMIT_WINDOW_MS): RateLimiter {
  const policy = `${limit}/${windowMs / 1000}s`;
  const refused = new Map<string, WindowHits>();
  const deniedUntil = (who: string): number | undefined => {
    const r = refused.get(who);
    if (!r) return undefined;
    if (r.resetAtMs > now()) return r.resetAtMs;
    refused.delete(who);
    return undefined;
  };
  return {
    limit,
    windowMs,
    deniedUntil,
    async hit(who) {
      const until = deniedUntil(who);
      if (until !== undefined) return { allowed: false, hits: limit + 1, resetAtMs: until };
      const counted = await counter.hit(`${policy}:${who}`, windowMs);
      const allowed = counted.hits <= limit;
      if (!allowed) {
        const t = now();
        makeRoom(refused, (v) => v.resetAtMs <= t);
        refused.set(who, counted);
      }
      return { ...counted, allowed };
    },
  };
}

/** Who a request counts against: its key, or without a valid key its client address. */
export function addressOf(req: Request): string {
  return `ip:${ipKeyGenerator(req.ip ?? '0.0.0.0')}`;
}
const whoOf = (req: Request): string => (req.principal ? `key:${req.principal.keyId}` : addressOf(req));

function refuse(req: Request, res: Response, limiter: RateLimiter, resetAtMs: number): TooManyRequestsProblem {
  const retryAfter = Math.max(1, Math.ceil((resetAtMs - Date.now()) / 1000));
  setHeaders(res, limiter, 0, resetAtMs);
  res.setHeader('Retry-After', String(retryAfter));
  const who = req.principal ? `API key ${req.principal.keyId}` : 'this client (no valid API key)';
  return new TooManyRequestsProblem(`${who} sent more than ${limiter.limit} requests in a minute; retry later`, retryAfter);
}

function setHeaders(res: Response, limiter: RateLimiter, remaining: number, resetAtMs: number): void {
  const reset = Math.max(0, Math.ceil((resetAtMs - Date.now()) / 1000));
  res.setHeader('RateLimit-Policy', `${limiter.limit};w=${Math.ceil(limiter.windowMs / 1000)}`);
  res.setHeader('RateLimit', `limit=${limiter.limit}, remaining=${remaining}, reset=${reset}`);
}

/**
 * Before any key lookup: a request from an address already refused in this window is refused
 * at once, without a database query (the caller skips this for keys it recognises as valid,
 * which have their own budgets: clients behind one proxy are not locked out by a guesser).
 */
export function refuseRefusedAddress(limiter: RateLimiter, req: Request, res: Response): TooManyRequestsProblem | undefined {
  const until = limiter.deniedUntil(addressOf(req));
  return until === undefined ? undefined : refuse(req, res, limiter, until);
}

/** Counts the request against its key (or address) and answers 429 over the limit. */
export function countRequest(limiter: RateLimiter): RequestHandler {
  return async (req, res, next) => {
    const decision = await limiter.hit(whoOf(req));
    if (!decision.allowed) throw refuse(req, res, limiter, decision.resetAtMs);
    setHeaders(res, limiter, Math.max(0, limiter.limit - decision.hits), decision.resetAtMs);
    next();
  };
}
