import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import type { TemporalSettings } from './env';

/** What both the client `Connection` and the worker's `NativeConnection` accept. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
}

/**
 * Connection options for a local dev server, a self-hosted cluster (mTLS) or Temporal Cloud
 * (mTLS or API key). Certificates are read from paths given in the environment.
 */
export function temporalConnectionOptions(settings: TemporalSettings, address: string): TemporalConnectionOptions {
  const options: TemporalConnectionOptions = { address };
  if (settings.apiKey) options.apiKey = settings.apiKey;
  if (settings.tls) {
    const { certPath, keyPath, caPath, serverName } = settings.tls;
    if (!!certPath !== !!keyPath) throw new Error('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together');
    const tls: TLSConfig = {};
    if (certPath && keyPath) tls.clientCertPair = { crt: readFileSync(certPath), key: readFileSync(keyPath) };
    if (caPath) tls.serverRootCACertificate = readFileSync(caPath);
    if (serverName) tls.serverNameOverride = serverName;
    options.tls = Object.keys(tls).length > 0 ? tls : true;
  }
  return options;
}
