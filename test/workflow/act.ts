import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { RequestSnapshot } from '../../domain/request/snapshot';
import { snapshotQuery, type RequestReceipt } from '../../workflows/messages';

/**
 * Sends an Update and returns the request as it is once the Update has answered. Updates answer
 * a small receipt (it is kept in history); the whole request comes from the snapshot query.
 */
export async function act<A extends unknown[]>(handle: WorkflowHandle, def: UpdateDefinition<RequestReceipt, A>, ...args: A extends [] ? [] : [{ args: A }]): Promise<RequestSnapshot> {
  // The SDK's overloads split on whether the Update takes arguments; one call serves both.
  const execute = handle.executeUpdate as (def: UpdateDefinition<RequestReceipt, A>, options?: { args: A }) => Promise<RequestReceipt>;
  const receipt = await execute.call(handle, def, ...(args as [{ args: A }]));
  const snapshot = await handle.query(snapshotQuery);
  // The receipt names the request and a revision the snapshot has reached.
  expect(snapshot.requestId).toBe(receipt.requestId);
  expect(snapshot.revision).toBeGreaterThanOrEqual(receipt.revision);
  return snapshot;
}
