// The digest the API and the workflow compare before the API commits registration's first
// write in the workflow's stead (domain/request/planned-write.ts): equal for the same plan,
// however it travelled, and different for any change to the snapshot or its events.
import { plannedWriteDigest } from '../../../domain/request/planned-write';
import { Desk, msk, policy } from './fixtures';

const registered = () => {
  const desk = new Desk(policy(), msk('2026-12-02T10:00'));
  return { snapshot: desk.r, events: desk.transitions[0]!.events };
};

test('the same plan gives the same digest, also after a JSON round trip (as the start input travels)', () => {
  const { snapshot, events } = registered();
  const digest = plannedWriteDigest(snapshot, events);
  expect(digest).toMatch(/^[0-9a-z]+$/);
  expect(plannedWriteDigest(registered().snapshot, registered().events)).toBe(digest);
  expect(plannedWriteDigest(JSON.parse(JSON.stringify(snapshot)), JSON.parse(JSON.stringify(events)))).toBe(digest);
});

test('any difference in the snapshot or its events gives another digest', () => {
  const { snapshot, events } = registered();
  const digest = plannedWriteDigest(snapshot, events);
  const clock = snapshot.clocks[0]!;
  const variants = [
    plannedWriteDigest({ ...snapshot, registeredAtMs: snapshot.registeredAtMs + 1 }, events),
    plannedWriteDigest({ ...snapshot, clocks: [{ ...clock, dueAtMs: clock.dueAtMs! + 1 }, ...snapshot.clocks.slice(1)] }, events),
    plannedWriteDigest(snapshot, events.map((e) => ({ ...e, by: { keyId: 'k1', role: 'intake' } }))),
    plannedWriteDigest(snapshot, []),
  ];
  expect(new Set([digest, ...variants]).size).toBe(variants.length + 1);
});
