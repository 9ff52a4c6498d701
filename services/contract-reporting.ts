/**
 * A contract's reporting terms (period and recipients) and their Temporal Schedule, kept
 * together: setting the terms writes them and creates or updates the schedule; removing them
 * deletes the schedule first, then the terms.
 */
import type { Knex } from 'knex';
import { deleteReporting, getReporting, putReporting, type ContractReporting } from '../db/queries/contract-reports';
import { getContract } from '../db/queries/policy';
import type { ExplicitRecipient } from '../domain/notification/intent';
import { webhookUrlIssue, type WebhookUrlPolicy } from '../domain/notification/webhook-url';
import type { ReportingPeriod } from '../domain/reports/contract-report';
import type { Actor } from '../domain/request/snapshot';
import type { CalendarRegistry } from './calendar-registry';
import type { ReportScheduler } from './contract-report-schedule';

/** 404: no such contract. */
export class UnknownContractError extends Error {}
/** 422: a recipient breaks a rule; each issue names its field. */
export class ReportingRefusedError extends Error {
  constructor(readonly issues: { field: string; rule: string; message: string }[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}
/** 503: Temporal did not take the schedule change; the terms are as the message says. */
export class ScheduleUnavailableError extends Error {}

export function recipientIssues(recipients: readonly ExplicitRecipient[], urlPolicy: WebhookUrlPolicy) {
  return recipients.flatMap((r, i) => {
    const issues: { field: string; rule: string; message: string }[] = [];
    if (!r.email && !r.webhookUrl) issues.push({ field: `recipients.${i}.email`, rule: 'channel_required', message: 'a recipient needs an e-mail address or a webhook URL' });
    const url = r.webhookUrl === undefined ? undefined : webhookUrlIssue(r.webhookUrl, urlPolicy);
    if (url) issues.push({ field: `recipients.${i}.webhookUrl`, rule: url.rule, message: url.message });
    return issues;
  });
}

export function createContractReporting(deps: { db: Knex; calendars: CalendarRegistry; scheduler: ReportScheduler; urlPolicy: WebhookUrlPolicy }) {
  const { db } = deps;
  return {
    async set(contractId: string, terms: { period: ReportingPeriod; recipients: ExplicitRecipient[] }, actor: Actor): Promise<{ created: boolean; reporting: ContractReporting }> {
      const contract = await getContract(db, contractId);
      if (!contract) throw new UnknownContractError(`contract "${contractId}"`);
      const issues = recipientIssues(terms.recipients, deps.urlPolicy);
      if (issues.length > 0) throw new ReportingRefusedError(issues);
      const timezone = (await deps.calendars.resolve(contract.sla.calendarId, { atMs: Date.now() })).timezone;
      const written = await putReporting(db, { contractId, ...terms, scheduleId: `contract-report-${contractId}`, timezone }, actor);
      try {
        await deps.scheduler.upsert({ contractId, period: terms.period, timezone });
      } catch (err) {
        throw new ScheduleUnavailableError(`the reporting terms are saved but Temporal did not take the schedule (${(err as Error).message}); retry the same PUT`);
      }
      return written;
    },
    async remove(contractId: string): Promise<boolean> {
      if (!(await getReporting(db, contractId))) return false;
      try {
        await deps.scheduler.remove(contractId);
      } catch (err) {
        throw new ScheduleUnavailableError(`Temporal did not remove the schedule (${(err as Error).message}); nothing changed, retry`);
      }
      return deleteReporting(db, contractId);
    },
  };
}

export type ContractReportingService = ReturnType<typeof createContractReporting>;
