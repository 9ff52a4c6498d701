/**
 * Names and types of the messages a support-request workflow accepts, defined once and shared
 * by the API, the tests and the workflow itself.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { RequestSnapshot } from '../domain/request/snapshot';

export interface Reply {
  /** Only a public reply to the customer counts as the first response. */
  visibility: 'public' | 'internal';
  author: string;
  body: string;
}

/** Returns once the request is written to PostgreSQL; used with update-with-start at intake. */
export const registeredUpdate = defineUpdate<RequestSnapshot>('registered');
export const respondUpdate = defineUpdate<RequestSnapshot, [Reply]>('respond');
export const snapshotQuery = defineQuery<RequestSnapshot>('snapshot');
