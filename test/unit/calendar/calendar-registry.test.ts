/**
 * The calendar registry reads and compiles a calendar once however many answers wait on it
 * (a re-plan runs 64 calendar answers at once), and still finds a version added a moment ago.
 */
import type { CalendarSpec, CalendarVersionSpec, VersionedCalendarSpec } from '../../../domain/calendar';
import { createCalendarRegistry, UnknownCalendarError } from '../../../services/calendar-registry';

const version = (versionId: string, effectiveFrom?: string) =>
  ({ versionId, timezone: 'Europe/Moscow', week: { mon: [['09:00', '18:00']] }, ...(effectiveFrom && { effectiveFrom }) }) as CalendarVersionSpec;

/** A source of run-time definitions that counts its reads; each read waits for `release` when held. */
function countingSource(initial: VersionedCalendarSpec) {
  let spec = initial;
  let held: Promise<void> | undefined;
  let release = () => {};
  const source = {
    reads: 0,
    set(next: VersionedCalendarSpec) {
      spec = next;
    },
    hold() {
      held = new Promise((r) => (release = () => r()));
    },
    release: () => release(),
    read: async (id: string): Promise<VersionedCalendarSpec | CalendarSpec | undefined> => {
      source.reads++;
      const seen = spec;
      await held;
      return id === seen.id ? seen : undefined;
    },
  };
  return source;
}

const v1: VersionedCalendarSpec = { id: 'desk', versions: [version('v1')] };
const v2: VersionedCalendarSpec = { id: 'desk', versions: [version('v1'), version('v2', '2026-12-07T00:00:00')] };

test('answers waiting on one calendar share one read', async () => {
  const source = countingSource(v1);
  const registry = createCalendarRegistry(source.read);
  source.hold();
  const waiting = Array.from({ length: 64 }, () => registry.resolve('desk', { versionId: 'v1' }));
  source.release();
  expect((await Promise.all(waiting)).every((c) => c.versionId === 'v1')).toBe(true);
  expect(source.reads).toBe(1);
});

test('an expired copy is read again once, however many answers find it expired', async () => {
  let now = 0;
  const source = countingSource(v1);
  const registry = createCalendarRegistry(source.read, { ttlMs: 5_000, now: () => now });
  await registry.versioned('desk');
  now = 6_000;
  await Promise.all(Array.from({ length: 10 }, () => registry.versioned('desk')));
  expect(source.reads).toBe(2);
});

test('a version added after the copy was cached is found, by one read for all who ask', async () => {
  const source = countingSource(v1);
  const registry = createCalendarRegistry(source.read);
  await registry.versioned('desk');
  source.set(v2);
  const found = await Promise.all(Array.from({ length: 10 }, () => registry.resolve('desk', { versionId: 'v2' })));
  expect(found.every((c) => c.versionId === 'v2')).toBe(true);
  expect(source.reads).toBe(2);
});

test('a version written while a read was under way is found by reading once more', async () => {
  const source = countingSource(v1);
  const registry = createCalendarRegistry(source.read);
  source.hold();
  const early = registry.versioned('desk'); // reads v1, held
  source.set(v2);
  const late = registry.resolve('desk', { versionId: 'v2' }); // joins the early read, then reads again
  source.release();
  await early;
  expect((await late).versionId).toBe('v2');
  expect(source.reads).toBe(2);
});

test('a failed read is not kept: the next answer reads again', async () => {
  let fail = true;
  let reads = 0;
  const registry = createCalendarRegistry(async () => {
    reads++;
    if (fail) throw new Error('database down');
    return v1;
  });
  await expect(registry.versioned('desk')).rejects.toThrow('database down');
  fail = false;
  expect((await registry.resolve('desk', { versionId: 'v1' })).versionId).toBe('v1');
  expect(reads).toBe(2);
  await expect(registry.resolve('desk', { versionId: 'v9' })).rejects.toBeInstanceOf(UnknownCalendarError);
});
