/**
 * Browser sessions of the screen: an API key is exchanged once (POST /ui/session with the key
 * as Bearer) for a random token in an httpOnly, SameSite=Strict cookie. Sessions live in
 * PostgreSQL (only the token's SHA-256), so every API process honours them and a sign-out or
 * a revoked key ends them everywhere at once. The key's role and customer scope apply
 * unchanged: a session resolves to the same Principal the key would.
 *
 * CSRF: the cookie is SameSite=Strict, and every state-changing request of a session must also
 * echo the session's anti-CSRF token in `X-CSRF-Token` (a header another site cannot set
 * without a CORS preflight this API never grants).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { HOUR_MS } from '../../domain/time-units';
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { deleteUiSession, extendUiSession, findUiSession, insertUiSession, purgeExpiredUiSessions } from '../../db/queries/ui-sessions';
import { BOOTSTRAP_ADMIN } from '../auth/authenticate';
import type { Principal } from '../auth/principal';

export const SESSION_COOKIE = 'sla_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Idle expiry is written back at most this often per session. */
const EXTEND_SLACK_MS = 60_000;

export interface SessionSettings {
  /** `SESSION_IDLE_MINUTES` (default 30): a session unused this long ends. */
  idleMs: number;
  /** `SESSION_MAX_HOURS` (default 12): a session ends this long after sign-in, used or not. */
  maxMs: number;
  /** `SESSION_COOKIE_SECURE=1` (or a TLS request) adds `Secure` to the cookie. */
  secureCookie: boolean;
  /** Whether ADMIN_API_KEY is configured: sessions of the bootstrap key end when it is unset. */
  bootstrapConfigured: boolean;
}

export function sessionSettingsFromEnv(bootstrapConfigured: boolean, env: NodeJS.ProcessEnv = process.env): SessionSettings {
  const num = (name: string, fallback: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const v = Number(raw);
    if (!Number.isFinite(v) || v <= 0 || v > max) throw new Error(`${name} must be a number above 0 and at most ${max}, got "${raw}"`);
    return v;
  };
  return {
    idleMs: num('SESSION_IDLE_MINUTES', 30, 24 * 60) * 60_000,
    maxMs: num('SESSION_MAX_HOURS', 12, 24 * 7) * HOUR_MS,
    secureCookie: env.SESSION_COOKIE_SECURE === '1',
    bootstrapConfigured,
  };
}

/** What a request's cookie says: no session, a valid one, or one that may not do this. */
export type SessionResolution =
  | { kind: 'none' }
  | { kind: 'invalid' }
  | { kind: 'csrf' }
  | { kind: 'ok'; principal: Principal; tokenHash: string; csrfToken: string; expiresAt: Date };

export interface SessionStore {
  /** Starts a session for a principal; sets the cookie on `res`. */
  create(principal: Principal, req: Request, res: Response): Promise<{ csrfToken: string }>;
  resolve(req: Request): Promise<SessionResolution>;
  /** Ends the request's session (if any) and clears the cookie. */
  end(req: Request, res: Response): Promise<void>;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set when the caller is a signed-in browser (not an API key sent with the request). */
    uiSession?: { tokenHash: string; csrfToken: string; expiresAt: Date };
  }
}

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** The value of one cookie from the Cookie header (no dependency for one name). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const sameToken = (a: string, b: string) => {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
};

export function createSessionStore(db: Knex, settings: SessionSettings, logger?: Logger): SessionStore {
  const cookie = (req: Request, value: string, maxAgeSeconds?: number) =>
    [
      `${SESSION_COOKIE}=${value}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Strict',
      ...(settings.secureCookie || req.secure ? ['Secure'] : []),
      ...(maxAgeSeconds !== undefined ? [`Max-Age=${maxAgeSeconds}`] : []),
    ].join('; ');
  let lastPurge = 0;

  return {
    async create(principal, req, res) {
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      await insertUiSession(db, { tokenHash: hashToken(token), keyId: principal.keyId, csrfToken, idleMs: settings.idleMs, maxMs: settings.maxMs });
      // A browser cookie (no Max-Age): it also ends when the browser closes; the row says how long it may live.
      res.append('Set-Cookie', cookie(req, token));
      if (Date.now() - lastPurge > HOUR_MS) {
        lastPurge = Date.now();
        purgeExpiredUiSessions(db).catch((err: unknown) => logger?.warn({ err }, 'could not purge expired sessions'));
      }
      return { csrfToken };
    },

    async resolve(req) {
      const token = cookieValue(req.header('cookie'), SESSION_COOKIE);
      if (!token) return { kind: 'none' };
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { kind: 'invalid' };
      const tokenHash = hashToken(token);
      const row = await findUiSession(db, tokenHash);
      if (!row) return { kind: 'invalid' };
      let principal: Principal;
      if (row.key_id === BOOTSTRAP_ADMIN.keyId) {
        if (!settings.bootstrapConfigured) return { kind: 'invalid' };
        principal = BOOTSTRAP_ADMIN;
      } else {
        if (row.role === null || row.revoked_at !== null) return { kind: 'invalid' };
        principal = { keyId: row.key_id, name: row.key_name ?? row.key_id, role: row.role, customerScope: row.customer_scope, ...(row.intake_source ? { intakeSource: row.intake_source } : {}) };
      }
      if (!SAFE_METHODS.has(req.method)) {
        const sent = req.header(CSRF_HEADER);
        if (!sent || !sameToken(sent, row.csrf_token)) return { kind: 'csrf' };
      }
      if (row.expires_at.getTime() - Date.now() < settings.idleMs - EXTEND_SLACK_MS) {
        extendUiSession(db, tokenHash, settings.idleMs).catch((err: unknown) => logger?.warn({ err }, 'could not extend a session'));
      }
      return { kind: 'ok', principal, tokenHash, csrfToken: row.csrf_token, expiresAt: row.expires_at };
    },

    async end(req, res) {
      if (req.uiSession) await deleteUiSession(db, req.uiSession.tokenHash);
      res.append('Set-Cookie', cookie(req, '', 0));
    },
  };
}
