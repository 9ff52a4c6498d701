// A lean projection write (the changed top-level fields) updates exactly the columns a whole
// write would: applied in order over the previous row, it gives the row of the new snapshot.
import { projectionColumns, projectionRow } from '../../../db/queries/request-projection';
import type { RequestSnapshot } from '../../../domain/request/snapshot';
import { changedFields } from '../../../workflows/request-lifecycle';
import { Desk, H, msk, policy } from './fixtures';

const WF = 'support-request-SR-TEST';

test('applying each transition\'s changed fields over the previous row gives the row of its snapshot', () => {
  const d = new Desk(policy(), msk('2026-12-07T10:00'));
  const snapshots: RequestSnapshot[] = [d.r];
  const step = (fn: () => RequestSnapshot) => snapshots.push(fn());
  step(() => d.do({ type: 'assign', author: 'lead', agent: 'agent-7' }, msk('2026-12-07T10:30')));
  step(() => d.do({ type: 'respond', visibility: 'public', author: 'agent-7', body: 'send the log' }, msk('2026-12-07T11:00')));
  step(() => d.do({ type: 'wait_on_customer', author: 'agent-7' }, msk('2026-12-07T11:05')));
  step(() => d.do({ type: 'customer_reply', author: 'ivan', body: 'attached' }, msk('2026-12-08T09:00')));
  step(() => d.do({ type: 'resolve', author: 'agent-7', summary: 'fixed' }, msk('2026-12-08T12:00')));
  step(() => d.do({ type: 'reopen', author: 'ivan' }, msk('2026-12-09T10:00')));
  d.advanceTo(msk('2026-12-20T10:00') + H);
  snapshots.push(d.r);

  let row: Record<string, unknown> = projectionRow(WF, snapshots[0]!);
  for (let i = 1; i < snapshots.length; i++) {
    const changes = changedFields(snapshots[i - 1]!, snapshots[i]!);
    // The terms and the registration are written once, with the first (whole) write.
    expect(Object.keys(changes)).not.toEqual(expect.arrayContaining(['policy']));
    expect(Object.keys(changes)).not.toEqual(expect.arrayContaining(['registration']));
    row = { ...row, ...projectionColumns(changes) };
    expect(row).toEqual(projectionRow(WF, snapshots[i]!));
  }
  // Something did change on the way (the test is not vacuous).
  expect(projectionRow(WF, snapshots.at(-1)!)).not.toEqual(projectionRow(WF, snapshots[0]!));
});

test('no change, no fields', () => {
  const d = new Desk(policy(), msk('2026-12-07T10:00'));
  expect(changedFields(d.r, { ...d.r })).toEqual({});
});
