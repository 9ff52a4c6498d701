import { z } from 'zod';

/** A calendar or version id: what the calendar format and pinned requests use. */
export const calendarIdSchema = z.string().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only, starting with a letter or digit');

const author = z.string().trim().min(1).max(320);
const isoInstant = z.string().trim().min(1).max(64);

/** PUT /v1/calendars/:id — the spec itself (the engine validates its fields). */
export const calendarBodySchema = z.record(z.string(), z.unknown());

/** Top-level fields of a versioned spec (a single calendar's fields are checked by the engine). */
export const VERSIONED_KEYS = new Set(['id', 'name', 'description', '$comment', 'versions']);

/** POST /v1/calendars/:id/versions with `addExceptions`: the current version plus new exceptions. */
export const addExceptionsBodySchema = z.strictObject({
  effectiveFrom: isoInstant,
  versionId: calendarIdSchema.optional(),
  author: author.optional(),
  addExceptions: z.strictObject({
    holidays: z.array(z.unknown()).optional(),
    workingDays: z.array(z.unknown()).optional(),
    shortDays: z.array(z.unknown()).optional(),
    closures: z.array(z.unknown()).optional(),
  }),
  /** Replaces the version's own coverage (e.g. the office's exceptions are now known to a later date). */
  coverage: z.unknown().optional(),
});

/** POST /v1/calendars/:id/versions with a full version spec (other fields: docs/calendar-format.md). */
export const fullVersionBodySchema = z.looseObject({
  effectiveFrom: isoInstant,
  versionId: calendarIdSchema.optional(),
  author: author.optional(),
});

/** POST /v1/calendars/:id/versions/ics?effectiveFrom=… (the body is the .ics text). */
export const icsQuerySchema = z.strictObject({
  effectiveFrom: isoInstant,
  versionId: calendarIdSchema.optional(),
  author: author.optional(),
  until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').optional(),
});

const positiveHours = z.coerce.number().positive().max(20_000);

/** GET /v1/calendars/:id/explain */
export const explainQuerySchema = z.strictObject({
  start: isoInstant,
  hours: positiveHours,
  version: calendarIdSchema.optional(),
});

/** GET /v1/calendars/:id/between */
export const betweenQuerySchema = z.strictObject({
  from: isoInstant,
  to: isoInstant,
  version: calendarIdSchema.optional(),
});

/** GET /v1/calendars and GET /v1/calendars/:id */
export const listQuerySchema = z.strictObject({
  horizonDays: z.coerce.number().int().min(0).max(3650).optional(),
});
