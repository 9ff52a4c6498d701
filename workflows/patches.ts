import { patched } from '@temporalio/workflow';

/**
 * Which of the request workflow's behaviour changes a run takes. Each change sits behind a
 * patch id so that histories recorded before it replay unchanged.
 *
 * A run started on this code records one marker, {@link REQUEST_PATCHES_2026_12}, standing for
 * every patch below instead of one marker per patch: each patch marker also upserts Temporal's
 * `TemporalChangeVersion` search attribute with the growing list of ids, and both stay in the
 * request's history. Runs recorded before it (no such marker) ask for each patch as they did.
 * A later change gets a patch id of its own, checked with `patched()` as usual.
 */
export const REQUEST_PATCHES_2026_12 = 'request-patches-2026-12';

/** A patch check: true when this run takes the change. */
export type Patches = (patchId: string) => boolean;

/** Call first thing in a run: the marker must be the run's first command to mean "from the start". */
export function requestPatches(): Patches {
  const all = patched(REQUEST_PATCHES_2026_12);
  return (patchId) => all || patched(patchId);
}
