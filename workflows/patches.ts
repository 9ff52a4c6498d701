import { patched } from '@temporalio/workflow';

/**
 * Which of the request workflow's behaviour changes a run takes. Each change sits behind a
 * patch id so that histories recorded before it replay unchanged.
 *
 * A run records one marker at its start standing for a set of patches instead of one marker
 * per patch: each patch marker also upserts Temporal's `TemporalChangeVersion` search attribute
 * (a visibility write) with the growing list of ids, and both stay in the request's history.
 * A run started on this code records {@link REQUEST_PATCHES_2026_12F}; runs started before
 * recorded {@link REQUEST_PATCHES_2026_12} (or, earlier still, nothing) and ask for the patches
 * outside their set one by one, as they did. A later change gets a patch id of its own, checked
 * with `patched()` as usual, and a later set may cover it.
 *
 * Behaviour chosen by a run's input alone is not enough: a run the API started may have had its
 * first tasks done by the previous worker, which ignored the new input; today's code must then
 * replay what that worker did. Only a marker in history tells (test/workflow/replay.test.ts).
 */
export const REQUEST_PATCHES_2026_12 = 'request-patches-2026-12';
/** The 2026-12 set, the batched calendar asks and the one-activity clock move. */
export const REQUEST_PATCHES_2026_12B = 'request-patches-2026-12b';
/** The 2026-12b set and registration from the start input. */
export const REQUEST_PATCHES_2026_12C = 'request-patches-2026-12c';
/** The 2026-12c set and re-plans answered and written by their fan-out. */
export const REQUEST_PATCHES_2026_12D = 'request-patches-2026-12d';
/** The 2026-12d set and the alarm timer kept across changes that do not move it. */
export const REQUEST_PATCHES_2026_12E = 'request-patches-2026-12e';
/** The 2026-12e set and registration's first write committed by the API that planned it. */
export const REQUEST_PATCHES_2026_12F = 'request-patches-2026-12f';

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

/**
 * Registration takes what the API put in the start input (2026-11-30): its registration
 * instant and calendar answers (domain/request/asks.ts `answeringFrom`), and the SLA search
 * attributes the run was started with (observe.ts). Before it, the run asked its calendar by a
 * local activity at its own start and upserted every attribute at registration.
 */
export const REGISTRATION_FROM_START_PATCH = 'registration-from-start-input';

/**
 * A re-plan takes the instant and calendar answers its fan-out computed from the request's row,
 * and hands its write to the fan-out, which commits it (2026-12-01; handlers.ts and `handOver`
 * in request-lifecycle.ts). Before it, each re-plan's Update ran two local activities, the
 * clock move and the write, each a round trip between the workflow and the worker.
 */
export const REPLAN_AHEAD_PATCH = 'replan-ahead-and-handed-over';

/**
 * The main loop keeps its timer while the earliest alarm does not move (2026-12-01;
 * alarm-timer.ts). Before it, every change (an agent's action, a re-plan) cancelled the timer
 * and started a new one, most often for the same instant.
 */
export const KEPT_TIMER_PATCH = 'alarm-timer-kept';

/**
 * Registration's first write is committed by the API that planned it (2026-12-01): when the
 * start input's digest of the API's planned write equals the run's own, the run writes nothing
 * at registration and the `registered` Update tells its sender to commit (support-request.ts,
 * handlers.ts). Before it, the run wrote it by a local activity and the API read the row back.
 */
export const REGISTRATION_HANDED_OVER_PATCH = 'registration-write-handed-over';

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
const COVERED_2026_12C: ReadonlySet<string> = new Set([...COVERED_2026_12B, REGISTRATION_FROM_START_PATCH]);
const COVERED_2026_12D: ReadonlySet<string> = new Set([...COVERED_2026_12C, REPLAN_AHEAD_PATCH]);
const COVERED_2026_12E: ReadonlySet<string> = new Set([...COVERED_2026_12D, KEPT_TIMER_PATCH]);
const COVERED_2026_12F: ReadonlySet<string> = new Set([...COVERED_2026_12E, REGISTRATION_HANDED_OVER_PATCH]);

/** A patch check: true when this run takes the change. */
export type Patches = (patchId: string) => boolean;

/**
 * Call first thing in a run: the marker must be the run's first command to mean "from the
 * start". On replay, `patched` answers from history: a run recorded with an earlier set's
 * marker (or none) finds no newer marker there and takes the path it took.
 */
export function requestPatches(): Patches {
  const covered = patched(REQUEST_PATCHES_2026_12F)
    ? COVERED_2026_12F
    : patched(REQUEST_PATCHES_2026_12E)
      ? COVERED_2026_12E
    : patched(REQUEST_PATCHES_2026_12D)
      ? COVERED_2026_12D
    : patched(REQUEST_PATCHES_2026_12C)
      ? COVERED_2026_12C
    : patched(REQUEST_PATCHES_2026_12B)
      ? COVERED_2026_12B
      : patched(REQUEST_PATCHES_2026_12)
        ? COVERED_2026_12
        : new Set<string>();
  return (patchId) => covered.has(patchId) || patched(patchId);
}
