/**
 * API key strings: generating, hashing, parsing and verifying them. No I/O.
 *
 * A key looks like `sla_key_<20 chars id>_<43 chars secret>`:
 * - `key_<id>` is the row id in `api_keys` (lookup is by id, never by secret);
 * - the secret is 32 random bytes in base64url; only its SHA-256 is stored.
 *
 * The secret has 256 bits of entropy, so a fast hash is enough (there is nothing to brute
 * force that a slow hash would protect); hashes are compared with `crypto.timingSafeEqual`.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export const KEY_PREFIX = 'sla_';
const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const ID_LENGTH = 20;
const SECRET_BYTES = 32;
/** What operators see of a key: `sla_key_<id>_` and four characters of the secret. */
const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 'key_'.length + ID_LENGTH + 1 + 4;

const KEY_PATTERN = new RegExp(`^${KEY_PREFIX}(key_[${ID_ALPHABET}]{${ID_LENGTH}})_([A-Za-z0-9_-]{43})$`);
export const KEY_ID_PATTERN = new RegExp(`^key_[${ID_ALPHABET}]{${ID_LENGTH}}$`);

/** The minimum length of `ADMIN_API_KEY`, the bootstrap admin secret. */
export const MIN_BOOTSTRAP_SECRET_LENGTH = 32;

export interface GeneratedKey {
  id: string;
  /** The full key string; shown once to whoever created it, never stored. */
  key: string;
  secretHash: string;
  prefix: string;
}

export interface ParsedKey {
  id: string;
  secret: string;
}

/** SHA-256 of a secret, hex. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function generateKey(): GeneratedKey {
  let id = 'key_';
  for (let i = 0; i < ID_LENGTH; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  const key = `${KEY_PREFIX}${id}_${secret}`;
  return { id, key, secretHash: hashSecret(secret), prefix: key.slice(0, SHOWN_PREFIX_LENGTH) };
}

/** The id and secret of a well-formed key string, or undefined. */
export function parseKey(key: string): ParsedKey | undefined {
  const m = KEY_PATTERN.exec(key);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

/**
 * Whether `secret` hashes to `storedHash`, in time independent of where they differ. Both
 * sides are SHA-256 digests (32 bytes), so the lengths never differ either; a malformed
 * stored hash is simply not equal.
 */
export function verifySecret(secret: string, storedHash: string): boolean {
  const given = createHash('sha256').update(secret, 'utf8').digest();
  const stored = Buffer.from(storedHash, 'hex');
  if (stored.length !== given.length) return false;
  return timingSafeEqual(given, stored);
}

/**
 * Compares a presented string with the bootstrap admin secret in constant time: both are
 * hashed first, so neither the content nor the length of the secret leaks through timing.
 */
export function matchesBootstrapSecret(presented: string, bootstrapHash: Buffer): boolean {
  const given = createHash('sha256').update(presented, 'utf8').digest();
  return timingSafeEqual(given, bootstrapHash);
}

export function bootstrapHash(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
