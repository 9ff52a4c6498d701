/**
 * Authentication: every route but health and docs needs an API key, sent as
 * `Authorization: Bearer <key>` or `X-API-Key: <key>`. Resolves `req.principal` or answers
 * 401 with `WWW-Authenticate: Bearer`. Keys are never logged, echoed or stored in clear.
 */
import { Router, type Request, type RequestHandler } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { findApiKey, touchApiKey, type ApiKeyRow } from '../../db/queries/api-keys';
import { bootstrapHash, matchesBootstrapSecret, parseKey, verifySecret } from './keys';
import type { SessionResolution } from '../screen/sessions';
import { ForbiddenProblem, type Principal } from './principal';
import { UnauthorizedProblem } from './problems';
import { countRequest, createRateLimiter, memoryHitCounter, refuseRefusedAddress, type HitCounter } from './rate-limit';
import type { AuthSettings } from './settings';

/** The principal of the bootstrap admin key (`ADMIN_API_KEY`); it has no row. */
export const BOOTSTRAP_ADMIN: Principal = Object.freeze({ keyId: 'env:ADMIN_API_KEY', name: 'bootstrap admin (ADMIN_API_KEY)', role: 'admin', customerScope: null });

/** Paths anyone may read: liveness/readiness probes and the API description. */
export function isPublicPath(path: string): boolean {
  return path === '/healthz' || path === '/readyz' || path === '/openapi.json' || path === '/docs' || path.startsWith('/docs/');
}

const TOUCH_EVERY_MS = 60_000;
const MAX_CACHED = 10_000;
const REALM = 'Bearer realm="sla-orchestrator"';

interface CachedKey {
  /** Undefined: no such key id. */
  row: Pick<ApiKeyRow, 'id' | 'name' | 'role' | 'customer_scope' | 'intake_source' | 'secret_hash' | 'revoked_at'> | undefined;
  expiresAt: number;
}

interface CacheEntry {
  loading: Promise<CachedKey>;
  /** Set once loaded: what `recognises` reads without waiting. */
  loaded?: CachedKey;
}

export interface KeyVerifier {
  /** The principal of a presented key string, or undefined when it is not a valid key. */
  resolve(presented: string): Promise<Principal | undefined>;
  /**
   * Whether this process has seen `presented` as a valid key (its cache holds it, even past its
   * cache time, unrevoked), without I/O. Never grants access (resolve does): it only spares a
   * known client the refusal meant for an address that keeps presenting bad keys.
   */
  recognises(presented: string): boolean;
  /** Drops a key from this process's cache (after a revoke here, or a change notified by another process). */
  forget(keyId: string): void;
  /** Drops every cached key (the change feed was interrupted: changes may have been missed). */
  forgetAll(): void;
  /**
   * While `false`, this process may miss changes made elsewhere (no change feed): cached keys
   * are then trusted for at most DEGRADED_CACHE_MS instead of the configured cache time.
   */
  setChangeFeed(connected: boolean): void;
}

/** How long a key is trusted from the cache while this process hears no change notifications. */
export const DEGRADED_CACHE_MS = 5_000;

/**
 * Verifies keys against `api_keys`, caching each looked-up row (found or not) for
 * `settings.cacheMs`. Changes made on other API processes reach this one through the change
 * feed (api/auth/key-events.ts: PostgreSQL LISTEN/NOTIFY), which calls `forget`; the cache
 * time bounds staleness when the feed is down (and then at most DEGRADED_CACHE_MS).
 * `last_used_at` is written at most once a minute per key and process, off the request path.
 */
export function createKeyVerifier(db: Knex, settings: Pick<AuthSettings, 'bootstrapAdminKey' | 'cacheMs'>, logger?: Logger, now: () => number = Date.now): KeyVerifier {
  const bootstrap = settings.bootstrapAdminKey === undefined ? undefined : bootstrapHash(settings.bootstrapAdminKey);
  const cache = new Map<string, CacheEntry>();
  const touched = new Map<string, number>();
  // Until a change feed says otherwise (unit tests, a process without one), trust the cache time.
  let feedConnected = true;
  const ttl = () => (feedConnected ? settings.cacheMs : Math.min(settings.cacheMs, DEGRADED_CACHE_MS));

  const load = (id: string): Promise<CachedKey> => {
    const hit = cache.get(id);
    if (hit) return hit.loading;
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    const entry: CacheEntry = {
      loading: findApiKey(db, id).then(
        (row) => {
          entry.loaded = { row, expiresAt: now() + ttl() };
          return entry.loaded;
        },
        (err: unknown) => {
          if (cache.get(id) === entry) cache.delete(id);
          throw err;
        },
      ),
    };
    cache.set(id, entry);
    return entry.loading;
  };

  const touch = (id: string) => {
    const t = now();
    if (t - (touched.get(id) ?? 0) < TOUCH_EVERY_MS) return;
    if (touched.size >= MAX_CACHED) touched.clear();
    touched.set(id, t);
    touchApiKey(db, id).catch((err: unknown) => logger?.warn({ err, keyId: id }, 'could not record API key use'));
  };

  const principalOf = (row: CachedKey['row'], secret: string): Principal | undefined => {
    if (!row || !verifySecret(secret, row.secret_hash) || row.revoked_at !== null) return undefined;
    return { keyId: row.id, name: row.name, role: row.role, customerScope: row.customer_scope, ...(row.intake_source ? { intakeSource: row.intake_source } : {}) };
  };

  return {
    async resolve(presented) {
      // Always compared (in constant time) when configured, whatever the presented string looks like.
      if (bootstrap && matchesBootstrapSecret(presented, bootstrap)) return BOOTSTRAP_ADMIN;
      const parsed = parseKey(presented);
      if (!parsed) return undefined;
      let entry = await load(parsed.id);
      if (entry.expiresAt <= now()) {
        cache.delete(parsed.id);
        entry = await load(parsed.id);
      }
      const principal = principalOf(entry.row, parsed.secret);
      if (principal) touch(principal.keyId);
      return principal;
    },
    recognises(presented) {
      if (bootstrap && matchesBootstrapSecret(presented, bootstrap)) return true;
      const parsed = parseKey(presented);
      const loaded = parsed && cache.get(parsed.id)?.loaded;
      return !!parsed && !!loaded && principalOf(loaded.row, parsed.secret) !== undefined;
    },
    forget(keyId) {
      cache.delete(keyId);
    },
    forgetAll() {
      cache.clear();
    },
    setChangeFeed(connected) {
      feedConnected = connected;
    },
  };
}

type Presented = { kind: 'none' } | { kind: 'key'; value: string } | { kind: 'malformed' };

/** The key sent with a request: `Authorization: Bearer <key>` or `X-API-Key: <key>` (both must agree). */
export function presentedKey(req: Request): Presented {
  const authorization = req.header('authorization');
  const apiKey = req.header('x-api-key');
  let bearer: string | undefined;
  if (authorization !== undefined) {
    const m = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(authorization);
    if (!m) return { kind: 'malformed' };
    bearer = m[1];
  }
  const other = apiKey?.trim();
  if (bearer !== undefined && other !== undefined && bearer !== other) return { kind: 'malformed' };
  const value = bearer ?? other;
  return value ? { kind: 'key', value } : { kind: 'none' };
}

const FAILURE = 'authFailure';

/** Resolves a browser's session cookie (api/screen/sessions.ts) when no key is sent. */
export interface SessionResolver {
  resolve(req: Request): Promise<SessionResolution>;
}

/**
 * The authentication chain, mounted once before the /v1 routers:
 * 1. a client address already over its limit in this window is refused (429) before its key
 *    is looked up, unless this process knows its key as valid: a throttled guesser costs no
 *    database query, and known clients behind the same address keep their own budgets (a
 *    key this process has not seen yet waits for the address's window to end);
 * 2. identify the key (cached; see createKeyVerifier);
 * 3. count the request against the key's (or, without a valid key, the address's) limit,
 *    shared by all API processes through `counter` (PostgreSQL in the app; in memory if absent);
 * 4. refuse requests without a valid key (401).
 * Public paths pass straight through.
 */
export function authenticate(verifier: KeyVerifier, settings: Pick<AuthSettings, 'rateLimitPerMinute'>, counter: HitCounter = memoryHitCounter(), sessions?: SessionResolver): RequestHandler {
  const limiter = settings.rateLimitPerMinute === 0 ? undefined : createRateLimiter(settings.rateLimitPerMinute, counter);
  const chain = Router();
  chain.use(async (req, res, next) => {
    const presented = presentedKey(req);
    if (limiter && !(presented.kind === 'key' && verifier.recognises(presented.value))) {
      const refused = refuseRefusedAddress(limiter, req, res);
      if (refused) throw refused;
    }
    if (presented.kind === 'key') {
      const principal = await verifier.resolve(presented.value);
      if (principal) req.principal = principal;
      else res.locals[FAILURE] = 'invalid';
    } else if (presented.kind === 'none' && sessions) {
      // No key sent: a signed-in browser's session cookie, if any (api/screen/sessions.ts).
      const s = await sessions.resolve(req);
      if (s.kind === 'ok') {
        req.principal = s.principal;
        req.uiSession = { tokenHash: s.tokenHash, csrfToken: s.csrfToken, expiresAt: s.expiresAt };
      } else {
        res.locals[FAILURE] = s.kind === 'none' ? 'missing' : s.kind;
      }
    } else {
      res.locals[FAILURE] = presented.kind === 'none' ? 'missing' : 'invalid';
    }
    next();
  });
  if (limiter) chain.use(countRequest(limiter));
  chain.use((req, res, next) => {
    if (req.principal) return next();
    if (res.locals[FAILURE] === 'csrf') {
      throw new ForbiddenProblem('a signed-in browser must send its session\'s anti-CSRF token in the X-CSRF-Token header with every change');
    }
    if (res.locals[FAILURE] === 'invalid' && presentedKey(req).kind === 'none') {
      res.setHeader('WWW-Authenticate', REALM);
      throw new UnauthorizedProblem('the session has expired or was ended: sign in again');
    }
    if (res.locals[FAILURE] === 'missing') {
      res.setHeader('WWW-Authenticate', REALM);
      throw new UnauthorizedProblem('an API key is required: send "Authorization: Bearer <key>" or "X-API-Key: <key>"');
    }
    res.setHeader('WWW-Authenticate', `${REALM}, error="invalid_token", error_description="the API key is malformed, unknown or revoked"`);
    throw new UnauthorizedProblem('the API key is not valid: it is malformed, unknown or revoked');
  });
  return (req, res, next) => {
    if (isPublicPath(req.path)) return next();
    chain(req, res, next);
  };
}
