/**
 * What Temporal's own UI and CLI show of a request workflow: the SLA search attributes kept
 * current, a readable summary on each timer ("SR-…: first response breach") and the workflow's
 * current details. Called from two places in support-request.ts so the lifecycle code stays
 * untouched. Only workflows started with `options.searchAttributes` (the API sets it when
 * SLA_SEARCH_ATTRIBUTES=1, i.e. once the attributes are registered) do any of it, and the
 * upserts sit behind patched(), so recorded histories replay unchanged.
 */
import { condition, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { SEARCH_ATTRIBUTES_PATCH, type Patches } from './patches';
import type { Alarm } from '../domain/request/alarms';
import type { RequestSnapshot } from '../domain/request/snapshot';
import { alarmSummary, nextDueAtMs, searchAttributesOf, SLA_SEARCH_ATTRIBUTES } from './search-attributes';


export interface Observer {
  /** Upserts the search attributes when they changed; sets the current details. */
  sync(r: RequestSnapshot): void;
  /** `condition(fn, waitMs)`, with the timer's summary naming the alarm it waits for. */
  wait(fn: () => boolean, waitMs: number | undefined, alarm: Alarm | undefined, r: RequestSnapshot): Promise<boolean>;
  /** The summary of a timer for `alarm` ("SR-…: first response breach"), if this run keeps them. */
  timerSummary(alarm: Alarm, r: RequestSnapshot): string | undefined;
}

/**
 * `fromStart`: a new run (not continued) that takes registration from its start input
 * (REGISTRATION_FROM_START_PATCH), so the attributes it was started with count as upserted.
 */
export function observer(requestId: string, enabled: boolean, patched: Patches, fromStart: boolean): Observer {
  // What Temporal holds for this run, by attribute (JSON). Temporal merges upserts, so each
  // upsert carries only the attributes that changed: every upsert is kept in history. A run's
  // first upsert is whole (a continued run may carry stale ones), unless the API started this
  // run with them (it registers the request with its attributes: no upsert at registration).
  let last: Map<string, string> | undefined = fromStart ? attributesAtStart() : undefined;
  return {
    sync(r) {
      if (!enabled || !patched(SEARCH_ATTRIBUTES_PATCH)) return;
      const first = !last;
      const seen = (last ??= new Map());
      const changed = searchAttributesOf(r).filter((p) => {
        const value = JSON.stringify(p.value);
        if (!first && seen.get(p.key.name) === value) return false;
        seen.set(p.key.name, value);
        return true;
      });
      if (changed.length > 0) upsertSearchAttributes(changed);
      const due = nextDueAtMs(r);
      setCurrentDetails(`${r.state}${due === null ? '' : ` · next deadline ${new Date(due).toISOString()}`}${r.clocks.some((c) => c.breachedAtMs !== null) ? ' · breached' : ''}`);
    },
    wait(fn, waitMs, alarm, r) {
      if (waitMs === undefined) return condition(fn, waitMs);
      const summary = alarm && this.timerSummary(alarm, r);
      return summary === undefined ? condition(fn, waitMs) : condition(fn, waitMs, { summary });
    },
    timerSummary(alarm, r) {
      return enabled && patched(SEARCH_ATTRIBUTES_PATCH) ? alarmSummary(requestId, r, alarm) : undefined;
    },
  };
}

/** The SLA attributes this run was started with, as `sync` compares them; none if it was started without. */
function attributesAtStart(): Map<string, string> | undefined {
  const started = workflowInfo().typedSearchAttributes;
  if (started.get(SLA_SEARCH_ATTRIBUTES.state) === undefined) return undefined;
  // An attribute not set at start is null, as `searchAttributesOf` says "none".
  return new Map(Object.values(SLA_SEARCH_ATTRIBUTES).map((key) => [key.name, JSON.stringify(started.get(key) ?? null)]));
}
