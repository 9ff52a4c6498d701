/* eslint-disable @typescript-eslint/no-explicit-any -- rows come back untyped from pg */
import type { Knex } from 'knex';
import type { ExplicitRecipient } from '../../domain/notification/intent';
import type { ContractReport, ContractReportRequest, ReportingPeriod } from '../../domain/reports/contract-report';
import type { Actor } from '../../domain/request/snapshot';
import { toReportRequest } from './sla-report';

export interface ContractReporting {
  contractId: string;
  period: ReportingPeriod;
  recipients: ExplicitRecipient[];
  scheduleId: string;
  timezone: string;
  updatedAt: string;
  updatedBy: { keyId: string; role: string };
}

const toReporting = (r: any): ContractReporting => ({
  contractId: r.contract_id,
  period: r.period,
  recipients: r.recipients,
  scheduleId: r.schedule_id,
  timezone: r.timezone,
  updatedAt: new Date(r.updated_at).toISOString(),
  updatedBy: { keyId: r.updated_by_key_id, role: r.updated_by_role },
});

export async function getReporting(db: Knex, contractId: string): Promise<ContractReporting | undefined> {
  const row = await db('contract_reporting').where({ contract_id: contractId }).first();
  return row && toReporting(row);
}

export async function putReporting(
  db: Knex,
  r: { contractId: string; period: ReportingPeriod; recipients: ExplicitRecipient[]; scheduleId: string; timezone: string },
  actor: Actor,
): Promise<{ created: boolean; reporting: ContractReporting }> {
  const fields = { period: r.period, recipients: JSON.stringify(r.recipients), schedule_id: r.scheduleId, timezone: r.timezone, updated_by_key_id: actor.keyId, updated_by_role: actor.role };
  const [row] = await db('contract_reporting')
    .insert({ contract_id: r.contractId, ...fields })
    .onConflict('contract_id')
    .merge({ ...fields, updated_at: db.fn.now() })
    .returning(['*', db.raw('(xmax = 0) as inserted')]);
  return { created: row.inserted === true, reporting: toReporting(row) };
}

export async function deleteReporting(db: Knex, contractId: string): Promise<boolean> {
  return (await db('contract_reporting').where({ contract_id: contractId }).delete()) > 0;
}

/** The requests registered under a contract in [fromMs, toMs), with what its report needs. */
export async function contractReportRequests(db: Knex, contractId: string, fromMs: number, toMs: number): Promise<ContractReportRequest[]> {
  const rows = await db('support_requests')
    .select(
      'id',
      'subject',
      'registered_at',
      'customer_id',
      'level',
      db.raw(`policy->>'officeId' as office_id`),
      db.raw(`coalesce(policy->'reporter'->>'name', reporter) as reporter_name`),
      'assignee',
      'state',
      'reopen_count',
      'clocks',
    )
    .whereRaw(`policy->>'contractId' = ?`, [contractId])
    .andWhere('registered_at', '>=', new Date(fromMs))
    .andWhere('registered_at', '<', new Date(toMs))
    .orderBy([{ column: 'registered_at' }, { column: 'id' }]);
  return rows.map((r: any) => ({
    ...toReportRequest(r),
    subject: r.subject,
    registeredAtMs: new Date(r.registered_at).getTime(),
    reporter: r.reporter_name ?? null,
  }));
}

export interface StoredReportHead {
  id: string;
  contractId: string;
  period: ReportingPeriod;
  from: string;
  to: string;
  requestCount: number;
  generatedAt: string;
}

const toHead = (r: any): StoredReportHead => ({
  id: String(r.id),
  contractId: r.contract_id,
  period: r.period,
  from: r.period_from,
  to: r.period_to,
  requestCount: r.request_count,
  generatedAt: new Date(r.generated_at).toISOString(),
});
const headColumns = (db: Knex) => [
  'id',
  'contract_id',
  'period',
  db.raw(`to_char(period_from, 'YYYY-MM-DD') as period_from`),
  db.raw(`to_char(period_to, 'YYYY-MM-DD') as period_to`),
  'request_count',
  'generated_at',
];

/** Stores a report once per (contract, period kind, period); a re-run of the same period keeps the first. */
export async function storeReport(db: Knex, report: ContractReport, csv: string): Promise<{ id: string; created: boolean }> {
  const inserted = await db('contract_reports')
    .insert({
      contract_id: report.contractId,
      period: report.period,
      period_from: report.range.from,
      period_to: report.range.to,
      request_count: report.summary.requests,
      report: JSON.stringify(report),
      csv,
      generated_at: new Date(report.generatedAtMs),
    })
    .onConflict(['contract_id', 'period', 'period_from'])
    .ignore()
    .returning('id');
  if (inserted.length > 0) return { id: String(inserted[0].id), created: true };
  const row = await db('contract_reports').select('id').where({ contract_id: report.contractId, period: report.period, period_from: report.range.from }).first();
  return { id: String(row.id), created: false };
}

export async function listReports(db: Knex, contractId: string): Promise<StoredReportHead[]> {
  const rows = await db('contract_reports').select(headColumns(db)).where({ contract_id: contractId }).orderBy('period_from', 'desc').limit(500);
  return rows.map(toHead);
}

export async function getReport(db: Knex, contractId: string, id: string): Promise<(StoredReportHead & { report: ContractReport; csv: string }) | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const row = await db('contract_reports')
    .select([...headColumns(db), 'report', 'csv'])
    .where({ contract_id: contractId, id })
    .first();
  return row && { ...toHead(row), report: row.report, csv: row.csv };
}
