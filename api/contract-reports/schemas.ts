import { z } from 'zod';
import { REPORTING_PERIODS } from '../../domain/reports/contract-report';

const text = (max: number) => z.string().trim().min(1).max(max).regex(/\S/, 'must not be blank');

/** PUT /v1/contracts/:contractId/reporting */
export const reportingBody = z
  .strictObject({
    period: z.enum(REPORTING_PERIODS).describe('A report at the end of each calendar month or quarter, in the time zone of the contract calendar'),
    recipients: z
      .array(
        z.strictObject({
          name: text(200),
          email: z.email().meta({ pattern: z.regexes.email.source }).max(320).optional().describe('Gets the e-mail with the report as a CSV attachment'),
          webhookUrl: z.string().max(2000).meta({ format: 'uri', pattern: '^https://' }).optional().describe('Gets the summary as a signed webhook; https only (422 https_required)'),
        }),
      )
      .min(1)
      .max(20)
      .describe('Each needs an email or a webhookUrl (422 channel_required otherwise)'),
  })
  .describe("The contract's periodic report: its period and who receives it");

export const reportQuery = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });
