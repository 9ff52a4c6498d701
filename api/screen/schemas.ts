import { z } from 'zod';
import { LEVEL_IDS } from '../../domain/policy';
import { REQUEST_STATES } from '../../domain/request/snapshot';

const id = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');
const commaList = <T extends string>(allowed: readonly T[]) =>
  z
    .string()
    .regex(new RegExp(`^(${allowed.join('|')})(,(${allowed.join('|')}))*$`), `a comma-separated list of: ${allowed.join(', ')}`)
    .transform((s) => [...new Set(s.split(','))] as T[]);
const flag = z.enum(['true', 'false'], { message: 'true or false' }).transform((v) => v === 'true');

/** GET /ui/api/board: the board's filters (all optional; open states by default). */
export const boardQuerySchema = z.strictObject({
  state: commaList(REQUEST_STATES).optional(),
  level: commaList(LEVEL_IDS).optional(),
  customerId: id.optional(),
  officeId: id.optional(),
  assignee: id.optional(),
  breached: flag.optional(),
  atRisk: flag.optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** GET /ui/api/calendars/:id/month?month=2026-11 */
export const monthQuerySchema = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month like 2026-11'),
});
