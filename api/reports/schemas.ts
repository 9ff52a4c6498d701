import { z } from 'zod';
import { RecordIdSchema } from '../../domain/policy';
import { REPORT_GROUPINGS } from '../../domain/reports/sla-report';
import { DAY_MS } from '../../domain/time-units';

const instant = z.iso.datetime({ offset: true, message: 'an ISO-8601 instant with an offset, e.g. 2026-12-01T00:00:00+03:00' });
const format = z.enum(['json', 'csv']);

/** GET /v1/reports/sla */
export const slaReportQuerySchema = z.strictObject({
  from: instant.describe('Start of the period, inclusive (registration instant)'),
  to: instant.describe('End of the period, exclusive: after `from`, at most 366 days later (400 naming to otherwise)'),
  groupBy: z.enum(REPORT_GROUPINGS).default('customer'),
  customerId: RecordIdSchema.optional(),
  format: format.optional().describe('json (default) or csv; Accept: text/csv works too'),
});

/** GET /v1/customers/:customerId/reports/sla: the customer's periodic report, per level. */
export const customerSlaReportQuerySchema = z.strictObject({
  from: instant.describe('Start of the period, inclusive (registration instant)'),
  to: instant.describe('End of the period, exclusive: after `from`, at most 366 days later (400 naming to otherwise)'),
  format: format.optional(),
});

/** A year and a day: a yearly contract report fits, an unbounded scan does not. */
export const MAX_REPORT_SPAN_MS = 366 * DAY_MS;
