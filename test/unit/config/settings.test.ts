import { intSettingFromEnv, readSettings } from '../../../config/env';
import { DEFAULT_WORKFLOW_THREADS, workflowThreadsFromEnv } from '../../../worker/workflow-threads';
import { temporalConnectionOptions } from '../../../config/temporal-connection';
import { sdkMetricsAddress } from '../../../worker/sdk-metrics';

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

  test('sizing and timeout settings: unset is the default, anything but an integer in range stops the start', () => {
    expect(intSettingFromEnv('WORKER_DB_POOL_MAX', {}, {})).toBeUndefined();
    expect(intSettingFromEnv('WORKER_DB_POOL_MAX', {}, { WORKER_DB_POOL_MAX: '' })).toBeUndefined();
    expect(intSettingFromEnv('WORKER_DB_POOL_MAX', {}, { WORKER_DB_POOL_MAX: '40' })).toBe(40);
    expect(() => intSettingFromEnv('WORKER_DB_POOL_MAX', {}, { WORKER_DB_POOL_MAX: 'forty' })).toThrow('WORKER_DB_POOL_MAX must be a positive integer, got "forty"');
    expect(() => intSettingFromEnv('DB_ACQUIRE_TIMEOUT_MS', { unit: 'milliseconds' }, { DB_ACQUIRE_TIMEOUT_MS: '0' })).toThrow('DB_ACQUIRE_TIMEOUT_MS must be a positive integer (milliseconds), got "0"');
    // The worker's cache may be turned off.
    expect(intSettingFromEnv('WORKER_MAX_CACHED_WORKFLOWS', { min: 0 }, { WORKER_MAX_CACHED_WORKFLOWS: '0' })).toBe(0);
    expect(() => intSettingFromEnv('WORKER_MAX_CACHED_WORKFLOWS', { min: 0 }, { WORKER_MAX_CACHED_WORKFLOWS: '-1' })).toThrow(/non-negative integer/);
  });

  test("the worker's metrics address: unset or empty is none, host:port is taken, anything else stops the start", () => {
    expect(sdkMetricsAddress(undefined)).toBeUndefined();
    expect(sdkMetricsAddress('')).toBeUndefined();
    expect(sdkMetricsAddress('127.0.0.1:9464')).toBe('127.0.0.1:9464');
    expect(sdkMetricsAddress('0.0.0.0:9464')).toBe('0.0.0.0:9464');
    expect(sdkMetricsAddress('[::1]:9464')).toBe('[::1]:9464');
    for (const bad of ['9464', ':9464', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:65536', 'http://127.0.0.1:9464', 'host:port', 'a b:1']) {
      expect(() => sdkMetricsAddress(bad)).toThrow(`WORKER_METRICS_ADDRESS must be host:port (e.g. 127.0.0.1:9464), got "${bad}"`);
    }
  });
});

test('WORKER_WORKFLOW_THREADS: two threads unless set; a positive integer or the worker does not start', () => {
  expect(DEFAULT_WORKFLOW_THREADS).toBe(2);
  expect(workflowThreadsFromEnv({})).toBe(2);
  expect(workflowThreadsFromEnv({ WORKER_WORKFLOW_THREADS: '4' })).toBe(4);
  expect(() => workflowThreadsFromEnv({ WORKER_WORKFLOW_THREADS: '0' })).toThrow('WORKER_WORKFLOW_THREADS must be a positive integer, got "0"');
});
