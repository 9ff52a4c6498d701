import { z } from 'zod';
import { WEEKDAYS } from '../../domain/calendar/spec';

/** A calendar or version id: what the calendar format and pinned requests use. */
export const calendarIdSchema = z.string().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only, starting with a letter or digit');

const author = z.string().trim().min(1).max(320).regex(/\S/, 'must not be blank');
/**
 * An instant: the engine reads it with luxon (an offset-less value in the calendar's zone). The
 * document states the strict form (RFC 3339 with an offset), which is always accepted.
 */
const isoInstant = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .meta({ format: 'date-time', description: 'An ISO 8601 instant, e.g. 2026-12-01T09:00:00+03:00 (a value without an offset is read in the calendar\'s zone)' });

// The shapes of a calendar's week and exceptions (domain/calendar/spec.ts), for the document: the engine checks them.
const DATE = { type: 'string', format: 'date', pattern: '^(?:19|20|21)\\d{2}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD, 1900..2199' } as const;
const TIME = { type: 'string', pattern: '^(?:[01]\\d|2[0-3]):[0-5]\\d$|^24:00$', description: 'HH:MM; 24:00 only as an end' } as const;
const RANGE = { type: 'array', prefixItems: [TIME, TIME], minItems: 2, maxItems: 2 } as const;
const WEEK = { properties: Object.fromEntries(WEEKDAYS.map((d) => [d, { type: 'array', items: RANGE }])), additionalProperties: false };
const WORKING_DAY = {
  type: 'object',
  properties: { date: DATE, hours: { type: 'array', items: RANGE }, reason: { type: 'string' } },
  required: ['date'],
  additionalProperties: false,
} as const;
const CLOSURE = { type: 'object', properties: { date: DATE, from: TIME, to: TIME, reason: { type: 'string' } }, required: ['date', 'from', 'to'], additionalProperties: false } as const;

/** Top-level fields of a versioned spec (a single calendar's fields are checked by the engine). */
export const VERSIONED_KEYS = new Set(['id', 'name', 'description', '$comment', 'versions']);

/**
 * PUT /v1/calendars/:id — the spec itself (the engine validates its fields). The document states
 * the engine's required fields: a single calendar needs timezone and week and has no versions;
 * a versioned one needs versions and has only {@link VERSIONED_KEYS}.
 */
export const calendarBodySchema = z.record(z.string(), z.unknown()).meta({
  properties: {
    timezone: { type: 'string', minLength: 1, description: 'IANA time zone, e.g. Europe/Moscow (a single calendar)' },
    week: { type: 'object', ...WEEK, description: 'The weekly schedule: mon..sun, each a list of ["HH:MM", "HH:MM"] ranges (a single calendar)' },
    versions: { type: 'array', minItems: 1, items: { type: 'object' }, description: 'The versions, oldest first (a versioned calendar)' },
  },
  oneOf: [
    { required: ['timezone', 'week'], not: { required: ['versions'] } },
    { required: ['versions'], propertyNames: { enum: [...VERSIONED_KEYS] } },
  ],
});

const EXCEPTIONS = {
  holidays: z.array(z.unknown()).meta({ items: DATE }).optional(),
  workingDays: z.array(z.unknown()).meta({ items: WORKING_DAY }).optional(),
  shortDays: z.array(z.unknown()).meta({ items: DATE }).optional(),
  closures: z.array(z.unknown()).meta({ items: CLOSURE }).optional(),
};

/** POST /v1/calendars/:id/versions with `addExceptions`: the current version plus new exceptions. */
export const addExceptionsBodySchema = z.strictObject({
  effectiveFrom: isoInstant,
  versionId: calendarIdSchema.optional(),
  author: author.optional(),
  addExceptions: z.strictObject(EXCEPTIONS),
  /** Replaces the version's own coverage (e.g. the office's exceptions are now known to a later date). */
  coverage: z.unknown().optional(),
});

/**
 * POST /v1/calendars/:id/versions with a full version spec (docs/calendar-format.md): the
 * fields a version may have, so an unknown one is refused here; the engine checks their values.
 */
export const fullVersionBodySchema = z.strictObject({
  effectiveFrom: isoInstant,
  versionId: calendarIdSchema.optional(),
  author: author.optional(),
  // What the engine requires of a version, checked here too so the document marks it required.
  timezone: z.string().min(1).describe('IANA time zone of the version, e.g. Europe/Moscow'),
  week: z.record(z.string(), z.unknown()).meta(WEEK).describe('The weekly schedule: mon..sun, each a list of ["HH:MM", "HH:MM"] ranges'),
  id: z.unknown().meta({ type: 'string' }).optional(),
  name: z.unknown().meta({ type: 'string' }).optional(),
  description: z.unknown().meta({ type: 'string' }).optional(),
  $comment: z.unknown().meta({ type: 'string' }).optional(),
  exceptionSets: z.array(z.unknown()).meta({ items: { type: 'string' } }).optional().describe('Shared exception sets by id, e.g. ["ru-production"]'),
  exceptionPolicy: z.unknown().meta({ type: 'object' }).optional(),
  coverage: z.unknown().meta({ type: 'object' }).optional(),
  ...EXCEPTIONS,
});

/** POST /v1/calendars/:id/versions/ics?effectiveFrom=… (the body is the .ics text). */
export const icsQuerySchema = z.strictObject({
  effectiveFrom: isoInstant,
  versionId: calendarIdSchema.optional(),
  author: author.optional(),
  until: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
    .meta({ format: 'date' })
    .describe('Last date to expand recurring events to (default 2035-12-31)')
    .optional(),
});

const positiveHours = z.coerce
  .number()
  .positive()
  .max(20_000)
  .describe('Working hours to add. The explanation lists at most 2000 intervals over at most 3660 days: more is a 422 naming hours.');

/** GET /v1/calendars/:id/explain */
export const explainQuerySchema = z.strictObject({
  start: isoInstant,
  hours: positiveHours,
  version: calendarIdSchema.optional(),
});

/** GET /v1/calendars/:id/between */
export const betweenQuerySchema = z.strictObject({
  from: isoInstant,
  to: isoInstant.describe('At most 3660 days from `from` (a 422 naming to otherwise); before `from` gives 0.'),
  version: calendarIdSchema.optional(),
});

/** GET /v1/calendars and GET /v1/calendars/:id */
export const listQuerySchema = z.strictObject({
  horizonDays: z.coerce.number().int().min(0).max(3650).optional(),
});
