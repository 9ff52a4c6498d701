import type { RequestSnapshot, TimelineEvent } from './snapshot';

/**
 * A short digest of a request's first write (its snapshot and events), computed by the API
 * that planned the registration ahead (services/registration/answers-ahead.ts) and by the
 * workflow that registers it. Equal digests mean both planned the very same write, so the API
 * may commit its own instead of the workflow writing it (workflows/support-request.ts). The
 * workflow computes it too, so it is pure and deterministic: no crypto, no Buffer.
 *
 * Not a security measure (both sides are this service): it guards against a worker and an
 * API on different code planning a registration differently during a rolling upgrade.
 */
export function plannedWriteDigest(snapshot: RequestSnapshot, events: readonly TimelineEvent[]): string {
  return hash53(JSON.stringify([snapshot, events]));
}

/**
 * `Math.imul`, looked up once. In the workflow's sandbox each use of a global (`Math`) is
 * resolved through the context's interceptors, about a hundred times slower than a local, and
 * the loop below used it twice per character of a write of several KiB: a fifth of each
 * workflow thread's CPU in a registration storm (worker `--cpu-prof`, 2026-12-01).
 */
const imul = Math.imul;

/** cyrb53: a fast 53-bit string hash with good dispersion (public domain, bryc). */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = imul(h1 ^ ch, 2654435761);
    h2 = imul(h2 ^ ch, 1597334677);
  }
  h1 = imul(h1 ^ (h1 >>> 16), 2246822507) ^ imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = imul(h2 ^ (h2 >>> 16), 2246822507) ^ imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
