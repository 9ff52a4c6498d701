import { patched } from '@temporalio/workflow';

/**
 * Which of the request workflow's behaviour changes a run takes. Each change sits behind a
 * patch id so that histories recorded before it replay unchanged.
 *
 * A run records one marker at its start standing for a set of patches instead of one marker
 * per patch: each patch marker also upserts Temporal's `TemporalChangeVersion` search attribute
 * (a visibility write) with the growing list of ids, and both stay in the request's history.
 * A run started on this code records {@link REQUEST_PATCHES_2026_12B}; runs started before
 * recorded {@link REQUEST_PATCHES_2026_12} (or, earlier still, nothing) and ask for the patches
 * outside their set one by one, as they did. A later change gets a patch id of its own, checked
 * with `patched()` as usual, and a later set may cover it.
 *
 * A run the API starts names its set in its input instead (`patchSet`): no marker and no
 * upsert at all. Its input is in its history, so a replay takes the same set; a worker that
 * does not know the named set records the marker as above.
 */
export const REQUEST_PATCHES_2026_12 = 'request-patches-2026-12';
/** The 2026-12 set, the batched calendar asks and the one-activity clock move. */
export const REQUEST_PATCHES_2026_12B = 'request-patches-2026-12b';

/** Projection writes became local activities (2026-11-25); see `persist` in request-lifecycle.ts. */
export const LOCAL_PROJECTION_PATCH = 'projection-via-local-activity';
/** Projection writes carry the changed fields, not the whole snapshot (2026-12-01); see `persist` in request-lifecycle.ts. */
export const LEAN_PROJECTION_PATCH = 'projection-changes-only';
/**
 * One local write per change: the row, its events and their notifications in one transaction
 * (2026-12-02); see `write` in request-lifecycle.ts. Before it, each notification was enqueued by a scheduled activity
 * whose input (the whole notification) stayed in history, with a workflow task of its own.
 */
export const OUTBOX_WRITE_PATCH = 'outbox-in-request-write';
/**
 * A notification's first delivery attempt is a local activity (2026-12-02); see `deliver` in request-lifecycle.ts.
 * Before it, every attempt was a scheduled activity: three history events and a workflow task
 * of its own per notification, which is what a breach storm is made of.
 */
export const FIRST_DELIVERY_LOCAL_PATCH = 'first-delivery-local';
/** The directory is read by a local activity (2026-12-02), answer-asks.ts: no task-queue round trip, nothing but its answer in history. */
export const LOCAL_DIRECTORY_PATCH = 'recipients-via-local-activity';
/** The SLA search attributes and timer summaries (observe.ts). */
export const SEARCH_ATTRIBUTES_PATCH = 'sla-search-attributes-v1';

/**
 * Independent calendar asks of one transition (two clocks' plans, two clocks' used time) are
 * answered by one local activity (2026-12-03); see answer-asks.ts. Before it, one each: a
 * re-plan of a request with both clocks running took four local activities instead of two.
 */
export const BATCHED_CALENDAR_ASKS_PATCH = 'batched-calendar-asks';

/**
 * A re-plan's running clocks are measured on the old calendar version and planned on the new
 * one by one local activity (2026-11-30; domain/request/move-clocks.ts). Before it, two: the
 * plan waited for the measurement's round trip, and a re-plan's Update took three local
 * activities in a row with its write.
 */
export const ONE_ACTIVITY_CLOCK_MOVE_PATCH = 'clock-move-one-activity';

/** Every patch each set's marker stands for. Never add to a set: a later change gets its own id. */
const COVERED_2026_12: ReadonlySet<string> = new Set([
  LOCAL_PROJECTION_PATCH,
  LEAN_PROJECTION_PATCH,
  OUTBOX_WRITE_PATCH,
  FIRST_DELIVERY_LOCAL_PATCH,
  LOCAL_DIRECTORY_PATCH,
  SEARCH_ATTRIBUTES_PATCH,
]);
const COVERED_2026_12B: ReadonlySet<string> = new Set([...COVERED_2026_12, BATCHED_CALENDAR_ASKS_PATCH, ONE_ACTIVITY_CLOCK_MOVE_PATCH]);

/** A patch check: true when this run takes the change. */
export type Patches = (patchId: string) => boolean;

/** The set a run started by the API names in its input (support-request.ts `patchSet`). */
export const CURRENT_PATCH_SET = REQUEST_PATCHES_2026_12B;

/**
 * Call first thing in a run: the marker must be the run's first command to mean "from the
 * start". On replay, `patched` answers from history: a run recorded with the earlier set's
 * marker (or none) finds no 2026-12b marker there and takes the path it took. `declared` is
 * the set the run's input names, if any.
 */
export function requestPatches(declared?: string): Patches {
  const covered =
    declared === REQUEST_PATCHES_2026_12B || patched(REQUEST_PATCHES_2026_12B) ? COVERED_2026_12B : patched(REQUEST_PATCHES_2026_12) ? COVERED_2026_12 : new Set<string>();
  return (patchId) => covered.has(patchId) || patched(patchId);
}
