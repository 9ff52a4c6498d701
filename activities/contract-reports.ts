/**
 * The contract report activity: the schedule's workflow calls it once per run. It reads the
 * contract's reporting terms and requests, builds the report (domain/reports/contract-report.ts),
 * stores it once per period, and enqueues its notifications through the outbox (e-mail with the
 * CSV attached, webhook with the summary), returning the outbox rows to deliver. Idempotent: a
 * retried or repeated run of the same period stores nothing new and enqueues nothing twice.
 */
import type { Knex } from 'knex';
import { contractReportRequests, getReporting, storeReport } from '../db/queries/contract-reports';
import { getContract } from '../db/queries/policy';
import type { NotificationIntent } from '../domain/notification/intent';
import { addDays, localDateAt, startOfLocalDate } from '../domain/policy/local-date';
import { buildContractReport, contractReportCsv, lastCompletePeriod } from '../domain/reports/contract-report';
import type { CalendarRegistry } from '../services/calendar-registry';
import type { NotificationActivities } from './notifications';

export interface ContractReportRun {
  contractId: string;
  /** The run instant (the workflow's start time). */
  atMs: number;
}

export interface ContractReportResult {
  /** null: the contract has no reporting terms (any more): nothing produced. */
  reportId: string | null;
  period?: { from: string; to: string };
  requests?: number;
  /** Outbox rows to deliver. */
  outboxIds: number[];
}

export function createContractReportActivities(db: Knex, calendars: CalendarRegistry, notifications: Pick<NotificationActivities, 'enqueueNotifications'>) {
  return {
    async produceContractReport(run: ContractReportRun): Promise<ContractReportResult> {
      const reporting = await getReporting(db, run.contractId);
      const contract = reporting && (await getContract(db, run.contractId));
      if (!reporting || !contract) return { reportId: null, outboxIds: [] };
      const zone = (await calendars.resolve(contract.sla.calendarId, { atMs: run.atMs })).timezone;
      const range = lastCompletePeriod(reporting.period, localDateAt(run.atMs, zone));
      const requests = await contractReportRequests(db, contract.id, startOfLocalDate(range.from, zone), startOfLocalDate(addDays(range.to, 1), zone));
      const report = buildContractReport({ contractId: contract.id, customerId: contract.customerId, period: reporting.period, range, generatedAtMs: run.atMs }, requests);
      const csv = contractReportCsv(report);
      const stored = await storeReport(db, report, csv);
      const s = report.summary;
      const pct = (v: number | null) => (v === null ? 'n/a' : `${v}%`);
      const intent: NotificationIntent = {
        idempotencyKey: `contract-report:${contract.id}:${reporting.period}:${range.from}`,
        kind: 'lifecycle',
        recipients: reporting.recipients,
        subject: `Support report for contract ${contract.id}, ${range.from} to ${range.to}`,
        body:
          `Requests registered under contract ${contract.id} from ${range.from} to ${range.to}: ${s.requests} (${s.open} still open).\n` +
          `First response within target: ${pct(s.firstResponse.withinTargetPct)}; resolution within target: ${pct(s.resolution.withinTargetPct)}; breaches: ${s.breaches.total}.\n` +
          `Every request per employee, with its clocks and outcome, is in the attached CSV; the full report is GET /v1/contracts/${contract.id}/reports/${stored.id}.`,
        payload: {
          event: 'contract.report',
          contractId: contract.id,
          customerId: contract.customerId,
          period: reporting.period,
          from: range.from,
          to: range.to,
          reportId: stored.id,
          requests: s.requests,
          open: s.open,
          firstResponseWithinTargetPct: s.firstResponse.withinTargetPct,
          resolutionWithinTargetPct: s.resolution.withinTargetPct,
          breaches: s.breaches.total,
          href: `/v1/contracts/${contract.id}/reports/${stored.id}`,
        },
        attachment: { filename: `contract-${contract.id}-${range.from}-${range.to}.csv`, contentType: 'text/csv; charset=utf-8', content: csv },
      };
      const outboxIds = reporting.recipients.length > 0 ? await notifications.enqueueNotifications([intent]) : [];
      return { reportId: stored.id, period: range, requests: s.requests, outboxIds };
    },
  };
}

export type ContractReportActivities = ReturnType<typeof createContractReportActivities>;
