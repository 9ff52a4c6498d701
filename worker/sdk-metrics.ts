import { Runtime } from '@temporalio/worker';

/**
 * The worker's own Temporal SDK metrics for Prometheus, served at `http://<address>/metrics`
 * when WORKER_METRICS_ADDRESS (host:port) is set: workflow task schedule-to-start and
 * execution latencies, local activity latencies, slots in use, sticky cache hits and size.
 * They say which part of a worker is the bottleneck (docs/operations.md, "What to watch").
 * Unset or empty: no endpoint. Anything but host:port stops the worker at start.
 */
export function sdkMetricsAddress(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const match = /^([^\s:/]+|\[[0-9a-fA-F:.]+\]):(\d{1,5})$/.exec(raw);
  const port = match ? Number(match[2]) : -1;
  if (!match || port < 1 || port > 65535) throw new Error(`WORKER_METRICS_ADDRESS must be host:port (e.g. 127.0.0.1:9464), got "${raw}"`);
  return raw;
}

/** Installs the SDK runtime with the Prometheus exporter; must run before the first connection. */
export function installSdkMetrics(address: string | undefined): void {
  if (address) Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: address } } } });
}
