import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  addExceptionsBodySchema,
  betweenQuerySchema,
  calendarBodySchema,
  calendarIdSchema,
  explainQuerySchema,
  fullVersionBodySchema,
  icsQuerySchema,
  listQuerySchema,
} from '../../calendars/schemas';
import { jsonResponse, named } from '../components';
import { defineOperation } from '../define';

const TAG = 'Calendars';
const ICS = { type: 'string', description: 'An iCalendar (.ics) file: its all-day and same-day events become holidays and closures' } as const;

/** /v1/calendars (`api/calendars/router.ts`). */
export function registerCalendarPaths(registry: OpenAPIRegistry): void {
  const id = { id: calendarIdSchema };
  const prefer = z.object({ prefer: z.string().optional().describe('`respond-async`: answer 202 at once and re-plan the open requests in the background') });
  const replanned = 'The version, whether it was created, and the re-plan report of the open requests on the calendar';
  defineOperation(registry, {
    method: 'get',
    path: '/v1/calendars',
    tag: TAG,
    summary: 'Every calendar, shipped and run-time, with coverage warnings',
    query: listQuerySchema,
    responses: { 200: jsonResponse('`items` (each calendar, or its id and error) and `horizonDays`') },
  });
  defineOperation(registry, {
    method: 'get',
    path: '/v1/calendars/{id}',
    tag: TAG,
    summary: 'A calendar with its versions and spec',
    params: id,
    query: listQuerySchema,
    responses: { 200: jsonResponse('The calendar, its versions and coverage, and its spec') },
    errors: [404],
  });
  defineOperation(registry, {
    method: 'put',
    path: '/v1/calendars/{id}',
    tag: TAG,
    summary: 'Create a run-time calendar',
    description:
      'The body is a calendar spec (docs/calendar-format.md), single or versioned. The same spec again is 200; another spec is 409. ' +
      'The calendar engine checks every field as docs/calendar-format.md states (timezone an IANA zone, week ranges "HH:MM" in order, ' +
      'holidays, workingDays, shortDays, closures, coverage, exceptionSets, versions, effectiveFrom…; a versioned spec holds only id, name, description and versions): ' +
      'a refused spec is a 400 naming the field.',
    params: id,
    body: named(registry, 'CalendarSpec', calendarBodySchema.describe('A calendar spec (docs/calendar-format.md); its fields are checked by the calendar engine')),
    responses: { 201: jsonResponse('The calendar, created'), 200: jsonResponse('The calendar, already there with this spec') },
    errors: [409],
  });
  defineOperation(registry, {
    method: 'post',
    path: '/v1/calendars/{id}/versions',
    tag: TAG,
    summary: 'Append a version and re-plan the open requests on it',
    description:
      'JSON: either `addExceptions` to the newest version, or a full version spec. `text/calendar`: exceptions imported from an .ics body ' +
      '(then the query parameters of …/versions/ics apply). The same version again is 200. ' +
      'The calendar engine checks the version as docs/calendar-format.md states (timezone, week, holidays, workingDays, shortDays, closures, coverage, ' +
      'exceptionSets, effectiveFrom after the newest version…): a refused one is a 400 naming the field.',
    params: id,
    headers: prefer,
    body: {
      content: {
        'application/json': { schema: z.union([named(registry, 'AddExceptions', addExceptionsBodySchema), named(registry, 'FullVersion', fullVersionBodySchema)]) },
        'text/calendar': { schema: ICS },
      },
    },
    responses: { 201: jsonResponse(replanned), 200: jsonResponse(`Already there. ${replanned}`), 202: jsonResponse('Accepted (respond-async): the version and where to watch the re-plan (a durable workflow, one per version)') },
    errors: [404, 409, 422],
  });
  defineOperation(registry, {
    method: 'post',
    path: '/v1/calendars/{id}/versions/ics',
    tag: TAG,
    summary: 'Append a version with exceptions imported from iCalendar',
    params: id,
    query: icsQuerySchema,
    headers: prefer,
    body: { content: { 'text/calendar': { schema: ICS } } },
    responses: { 201: jsonResponse(`${replanned}, and what was imported`), 200: jsonResponse(`Already there. ${replanned}`), 202: jsonResponse('Accepted (respond-async)') },
    errors: [404, 409, 422],
  });
  defineOperation(registry, {
    method: 'get',
    path: '/v1/calendars/{id}/versions/{versionId}/replan',
    tag: TAG,
    summary: 'Progress of a re-plan onto a version',
    params: { ...id, versionId: calendarIdSchema },
    responses: { 200: jsonResponse('The projection (`openRequests`, `onVersion`, `pending`) and the durable re-plan workflow\'s progress (`replan`: `status` running|finished, `total`, `done`, `replanned`, `alreadyFinished`, `failed`; null when none was started)') },
    errors: [404],
  });
  defineOperation(registry, {
    method: 'get',
    path: '/v1/calendar-replans',
    tag: TAG,
    summary: 'Re-plans running now and those finished in the last hour (what the board shows)',
    responses: { 200: jsonResponse('`items`: each re-plan\'s progress (`calendarId`, `versionId`, `status` running|finished, `total`, `done`, `replanned`, `alreadyFinished`, `failed`, `startedAt`, `finishedAt`) and its calendar\'s `timezone` (null if the calendar is gone), running first, newest first') },
    errors: [],
  });
  defineOperation(registry, {
    method: 'get',
    path: '/v1/calendars/{id}/explain',
    tag: TAG,
    summary: 'When a number of working hours from an instant ends, step by step',
    params: id,
    query: explainQuerySchema,
    responses: { 200: jsonResponse('The end instant and the working intervals counted') },
    errors: [404, 422],
  });
  defineOperation(registry, {
    method: 'get',
    path: '/v1/calendars/{id}/between',
    tag: TAG,
    summary: 'Working time between two instants',
    params: id,
    query: betweenQuerySchema,
    responses: { 200: jsonResponse('`workingSeconds`, `workingHours` and whether the calendar was extrapolated') },
    errors: [404, 422],
  });
}
