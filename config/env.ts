/**
 * Runtime configuration, read once from the environment. Secrets (database password, Temporal
 * API key, TLS keys, admin API key) only ever come from here, never from files in the repo.
 */
export interface TemporalSettings {
  /** host:port of the Temporal frontend; unset means "start the local dev server". */
  address: string | undefined;
  namespace: string;
  taskQueue: string;
  /** Temporal Cloud / cluster API key (sent as a bearer token, implies TLS). */
  apiKey: string | undefined;
  tls: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string } | undefined;
  /** Base URL of the Web UI, used to link a request to its workflow history. */
  webUiUrl: string | undefined;
}

export interface Settings {
  /** Unset means "start the embedded PostgreSQL under data/pg". */
  databaseUrl: string | undefined;
  port: number;
  temporal: TemporalSettings;
  logLevel: string;
}

/**
 * The integer in `name`, or undefined when unset or empty; anything else than an integer `ok`
 * accepts stops the process at start, naming the variable and what it must be (not NaN later).
 */
function intInEnv(env: NodeJS.ProcessEnv, name: string, ok: (value: number) => boolean, mustBe: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || !ok(value)) throw new Error(`${name} must be ${mustBe}, got "${raw}"`);
  return value;
}

/** An integer setting (a pool size, a timeout), at least `min` (default 1), or undefined when unset or empty. */
export function intSettingFromEnv(name: string, opts: { min?: 0 | 1; unit?: string } = {}, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const min = opts.min ?? 1;
  return intInEnv(env, name, (value) => value >= min, `a ${min === 1 ? 'positive' : 'non-negative'} integer${opts.unit ? ` (${opts.unit})` : ''}`);
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const tlsWanted = env.TEMPORAL_TLS === 'true' || !!env.TEMPORAL_TLS_CERT || !!env.TEMPORAL_API_KEY;
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    port: intInEnv(env, 'PORT', (value) => value >= 0 && value <= 65535, 'an integer port number') ?? 3000,
    logLevel: env.LOG_LEVEL || 'info',
    temporal: {
      address: env.TEMPORAL_ADDRESS || undefined,
      namespace: env.TEMPORAL_NAMESPACE || 'default',
      taskQueue: env.TEMPORAL_TASK_QUEUE || 'support-requests',
      apiKey: env.TEMPORAL_API_KEY || undefined,
      tls: tlsWanted
        ? {
            certPath: env.TEMPORAL_TLS_CERT || undefined,
            keyPath: env.TEMPORAL_TLS_KEY || undefined,
            caPath: env.TEMPORAL_TLS_CA || undefined,
            serverName: env.TEMPORAL_TLS_SERVER_NAME || undefined,
          }
        : undefined,
      webUiUrl: env.TEMPORAL_WEB_UI_URL || undefined,
    },
  };
}

/**
 * The sales office that serves anonymous requests from the support-site form
 * (`SITE_FORM_DEFAULT_OFFICE_ID`); unset: such requests must name an office (422 office-required).
 */
export function siteFormOfficeIdFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.SITE_FORM_DEFAULT_OFFICE_ID?.trim() || undefined;
}
