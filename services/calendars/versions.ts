/**
 * Building a calendar's next version from a request: either a full version spec, or the
 * newest version plus exceptions (the common case: a new decree, an office closure, an
 * imported .ics). Versions are append-only: earlier versions never change, so a deadline
 * computed with one can always be explained with it.
 */
import { DateTime } from 'luxon';
import {
  CalendarDefinitionError,
  compileCalendar,
  compileVersionedCalendar,
  type Calendar,
  type CalendarSpec,
  type CalendarVersionSpec,
  type ClosureSpec,
  type ExceptionFields,
  type VersionedCalendarSpec,
  type WorkingDaySpec,
} from '../../domain/calendar';
import { CalendarConflictError, CalendarInputError } from './errors';
import { isoIn } from './format';
import { canonicalJson, type StoredCalendar } from './catalogue';

/** How far in the past a new version may start (clock skew, a slow client). */
export const EFFECTIVE_FROM_GRACE_MS = 60_000;

/** A version's content (no `versionId` / `effectiveFrom`) and how to name its fields in a 400. */
export interface VersionDraft {
  content: CalendarSpec;
  /** Maps an engine field path of the content (e.g. `closures[0].date`) to the request field. */
  field: (engineField: string) => string;
}

export interface AddedExceptions {
  holidays?: unknown[];
  workingDays?: unknown[];
  shortDays?: unknown[];
  closures?: unknown[];
}

const EXCEPTION_FIELD = /^(holidays|workingDays|shortDays|closures)\b/;

function definitionProblem(e: CalendarDefinitionError, field: string): CalendarInputError {
  return new CalendarInputError([{ field: field || 'body', rule: 'invalid_calendar', message: e.problem }]);
}

/** Compiles `spec`, turning a CalendarDefinitionError into a 400 naming the field via `field`. */
export function compileOr400<T>(compile: () => T, field: (engineField: string) => string): T {
  try {
    return compile();
  } catch (e) {
    if (e instanceof CalendarDefinitionError) throw definitionProblem(e, field(e.field));
    throw e;
  }
}

/** A full version spec given in the body (all fields of docs/calendar-format.md). */
export function draftFromFullSpec(body: Record<string, unknown>): VersionDraft {
  const content: Record<string, unknown> = { ...body };
  for (const k of ['author', 'versionId', 'effectiveFrom', 'id']) delete content[k];
  return { content: content as unknown as CalendarSpec, field: (f) => f };
}

/**
 * The newest version plus exceptions. The newer entry wins on a date: a new holiday drops the
 * base's working day on that date, a new working day replaces the base's holiday or working
 * day there. Short days are a union; closures are appended (exact repeats dropped), so
 * applying the same additions twice gives the same version (a retried POST is recognised).
 */
export function draftFromExceptions(
  base: CalendarVersionSpec,
  add: AddedExceptions,
  coverage: unknown,
  addedField: (engineField: string) => string = (f) => (f ? `addExceptions.${f}` : 'addExceptions'),
): VersionDraft {
  // Check the additions on their own first, so a 400 names `addExceptions.holidays[2]`.
  compileOr400(() => compileCalendar({ ...(add as ExceptionFields), timezone: base.timezone, week: base.week, exceptionPolicy: base.exceptionPolicy }, {}), addedField);
  const added = add as { holidays?: string[]; workingDays?: WorkingDaySpec[]; shortDays?: string[]; closures?: ClosureSpec[] };
  const newHolidays = new Set(added.holidays ?? []);
  const newWorkingDates = new Set((added.workingDays ?? []).map((w) => w.date));

  const holidays = [...new Set([...(base.holidays ?? []).filter((d) => !newWorkingDates.has(d)), ...newHolidays])].sort();
  const workingDays = [...(base.workingDays ?? []).filter((w) => !newHolidays.has(w.date) && !newWorkingDates.has(w.date)), ...(added.workingDays ?? [])].sort((a, b) =>
    a.date.localeCompare(b.date),
  );
  const shortDays = [...new Set([...(base.shortDays ?? []), ...(added.shortDays ?? [])])].sort();
  const closures = [...(base.closures ?? [])];
  const seen = new Set(closures.map(canonicalJson));
  for (const c of added.closures ?? []) {
    if (!seen.has(canonicalJson(c))) {
      closures.push(c);
      seen.add(canonicalJson(c));
    }
  }

  const content: Record<string, unknown> = { ...base };
  delete content.versionId;
  delete content.effectiveFrom;
  delete content.id;
  const set = (key: string, list: unknown[]) => {
    if (list.length > 0) content[key] = list;
    else delete content[key];
  };
  set('holidays', holidays);
  set('workingDays', workingDays);
  set('shortDays', shortDays);
  set('closures', closures);
  if (coverage !== undefined) content.coverage = coverage;
  return { content: content as unknown as CalendarSpec, field: (f) => (EXCEPTION_FIELD.test(f) ? addedField(f) : f) };
}

export type VersionPlan =
  /** The same version was added before (a retried request): nothing to write. */
  | { kind: 'existing'; version: Calendar }
  | { kind: 'new'; versionId: string; spec: VersionedCalendarSpec };

/**
 * Validates a draft as the calendar's next version from `effectiveFrom` on, and returns the
 * whole versioned spec to store (or the existing version when this is a repeat).
 *
 * 400: malformed fields, `effectiveFrom` more than a minute in the past.
 * 409: `effectiveFrom` not later than the newest version's, or `versionId` already used.
 */
export function planNextVersion(
  existing: StoredCalendar,
  draft: VersionDraft,
  request: { effectiveFrom: string; versionId?: string; effectiveFromField?: string; versionIdField?: string },
  nowMs: number,
): VersionPlan {
  const efField = request.effectiveFromField ?? 'effectiveFrom';
  const idField = request.versionIdField ?? 'versionId';
  const versions = existing.compiled.versions;
  const newest = versions[versions.length - 1] as Calendar;
  const newestSpec = existing.spec.versions[existing.spec.versions.length - 1] as CalendarVersionSpec;

  // The content must be a valid calendar by itself (names the body's field).
  const compiled = compileOr400(() => compileCalendar({ ...draft.content, id: existing.id }), draft.field);

  const zone = compiled.timezone;
  const parsed = DateTime.fromISO(request.effectiveFrom, { zone });
  if (!parsed.isValid) {
    throw new CalendarInputError([{ field: efField, rule: 'invalid_datetime', message: `must be an ISO-8601 date-time (read in ${zone} without an offset), got ${JSON.stringify(request.effectiveFrom)}` }]);
  }
  const effectiveFromMs = parsed.toMillis();

  const { versionId: _v, effectiveFrom: _e, ...newestContent } = newestSpec;
  if (
    effectiveFromMs === newest.effectiveFromMs &&
    canonicalJson(newestContent) === canonicalJson(draft.content) &&
    (request.versionId === undefined || request.versionId === newest.versionId)
  ) {
    return { kind: 'existing', version: newest };
  }

  if (effectiveFromMs < nowMs - EFFECTIVE_FROM_GRACE_MS) {
    throw new CalendarInputError([
      { field: efField, rule: 'in_past', message: `a new version takes effect now or later (at most a minute ago); got ${isoIn(effectiveFromMs, zone)}, now is ${isoIn(nowMs, zone)}` },
    ]);
  }
  if (effectiveFromMs <= newest.effectiveFromMs) {
    throw new CalendarConflictError(
      `${efField} ${isoIn(effectiveFromMs, zone)} is not later than the newest version "${newest.versionId}" (effective from ${isoIn(newest.effectiveFromMs, newest.timezone)}); versions are append-only`,
      { field: efField, newestVersion: { id: newest.versionId, effectiveFrom: isoIn(newest.effectiveFromMs, newest.timezone) } },
    );
  }
  const taken = new Set(versions.map((v) => v.versionId ?? '1'));
  let versionId = request.versionId;
  if (versionId !== undefined && taken.has(versionId)) {
    throw new CalendarConflictError(`version "${versionId}" of calendar "${existing.id}" already exists with other contents; versions never change`, { field: idField });
  }
  if (versionId === undefined) {
    const stem = DateTime.fromMillis(effectiveFromMs, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
    versionId = stem;
    for (let n = 2; taken.has(versionId); n++) versionId = `${stem}-${n}`;
  }

  const version = { ...draft.content, versionId, effectiveFrom: isoIn(effectiveFromMs, zone) } as CalendarVersionSpec;
  const spec: VersionedCalendarSpec = { ...existing.spec, versions: [...existing.spec.versions, version] };
  const prefix = `versions[${existing.spec.versions.length}].`;
  compileOr400(
    () => compileVersionedCalendar(spec),
    (f) => (f.startsWith(prefix) ? draft.field(f.slice(prefix.length)) : f),
  );
  return { kind: 'new', versionId, spec };
}
