/**
 * Secrets of the local product (`npm start`): taken from the environment when set there, else
 * generated once and kept in a file under data/ (mode 600), so a restart keeps the same value:
 * the admin API key (data/admin-api-key) and the webhook signing secret
 * (data/webhook-signing-secret). Production sets both in the environment.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface LocalSecret {
  value: string;
  /** Where it came from: the environment variable, or the file it is kept in. */
  source: { env: string } | { file: string };
}

/**
 * The secret named `envName`: the environment's value, or the content of `dataDir/fileName`,
 * written with a new random value (prefix + 32 random bytes, base64url) the first time.
 *
 * @example localSecret('data', 'webhook-signing-secret', 'WEBHOOK_SIGNING_SECRET', 'whsec-', process.env)
 * // { value: 'whsec-…', source: { file: '/…/data/webhook-signing-secret' } }
 */
export function localSecret(dataDir: string, fileName: string, envName: string, prefix: string, env: NodeJS.ProcessEnv = process.env): LocalSecret {
  const fromEnv = env[envName];
  if (fromEnv) return { value: fromEnv, source: { env: envName } };
  const file = path.resolve(dataDir, fileName);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    // 'wx': two starts racing never overwrite each other's secret.
    try {
      writeFileSync(file, `${prefix}${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return { value: readFileSync(file, 'utf8').trim(), source: { file } };
}

/** For the start-up log: the variable's name or the file, never the value of an environment secret. */
export function describeSecret(s: LocalSecret): string {
  return 'env' in s.source ? `$${s.source.env}` : `${s.value}  (kept in ${s.source.file})`;
}
