import { readSettings } from '../../../config/env';
import { temporalConnectionOptions } from '../../../config/temporal-connection';

describe('settings from the environment', () => {
  test('defaults: local everything, port 3000, namespace default', () => {
    const s = readSettings({});
    expect(s).toMatchObject({ databaseUrl: undefined, port: 3000, temporal: { address: undefined, namespace: 'default', tls: undefined } });
  });

  test('a Temporal Cloud API key implies TLS and is passed through', () => {
    const s = readSettings({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ns.acct', TEMPORAL_API_KEY: 'secret' });
    expect(temporalConnectionOptions(s.temporal, s.temporal.address!)).toEqual({ address: 'ns.acct.tmprl.cloud:7233', apiKey: 'secret', tls: true });
  });

  test('a client certificate without its key is refused with a clear message', () => {
    const s = readSettings({ TEMPORAL_TLS_CERT: '/tmp/cert.pem' });
    expect(() => temporalConnectionOptions(s.temporal, 'x:7233')).toThrow(/TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together/);
  });

  test('a bad PORT is refused', () => {
    expect(() => readSettings({ PORT: 'eighty' })).toThrow(/PORT must be an integer/);
  });
});
