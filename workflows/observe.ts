/**
 * What Temporal's own UI and CLI show of a request workflow: the SLA search attributes kept
 * current, a readable summary on each timer ("SR-…: first response breach") and the workflow's
 * current details. Called from two places in support-request.ts so the lifecycle code stays
 * untouched. Only workflows started with `options.searchAttributes` (the API sets it when
 * SLA_SEARCH_ATTRIBUTES=1, i.e. once the attributes are registered) do any of it, and the
 * upserts sit behind patched(), so recorded histories replay unchanged.
 */
import { condition, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { SEARCH_ATTRIBUTES_PATCH, type Patches } from './patches';
import type { Alarm } from '../domain/request/alarms';
import type { RequestSnapshot } from '../domain/request/snapshot';
import { alarmSummary, nextDueAtMs, searchAttributesOf } from './search-attributes';


export interface Observer {
  /** Upserts the search attributes when they changed; sets the current details. */
  sync(r: RequestSnapshot): void;
  /** `condition(fn, waitMs)`, with the timer's summary naming the alarm it waits for. */
  wait(fn: () => boolean, waitMs: number | undefined, alarm: Alarm | undefined, r: RequestSnapshot): Promise<boolean>;
}

export function observer(requestId: string, enabled: boolean, patched: Patches): Observer {
  // What this run last upserted, by attribute (JSON). Temporal merges upserts, so after a run's
  // first (whole: a continued run may carry stale ones) each carries only the attributes that
  // changed: every upsert is kept in history.
  let last: Map<string, string> | undefined;
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
      if (enabled && alarm && patched(SEARCH_ATTRIBUTES_PATCH)) return condition(fn, waitMs, { summary: alarmSummary(requestId, r, alarm) });
      return condition(fn, waitMs);
    },
  };
}
