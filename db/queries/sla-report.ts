import type { Knex } from 'knex';
import type { ReportRequest } from '../../domain/reports/sla-report';
import type { SlaClock } from '../../domain/request/sla-clock';

export interface SlaReportQuery {
  /** registered_at >= fromMs */
  fromMs: number;
  /** registered_at < toMs */
  toMs: number;
  customerId?: string;
  /** Refuse (return null) rather than read more rows than this. */
  maxRows: number;
}

export interface Row {
  id: string;
  customer_id: string | null;
  level: string | null;
  office_id: string | null;
  assignee: string | null;
  state: string;
  reopen_count: number;
  clocks: SlaClock[];
}

/**
 * The requests registered in [from, to), optionally of one customer, with what the report
 * needs (clocks as the workflow last projected them). Null when there are more than
 * `maxRows`: the caller asks for a shorter period instead of loading an unbounded set.
 */
export async function reportRequests(db: Knex, q: SlaReportQuery): Promise<ReportRequest[] | null> {
  const query = db('support_requests')
    .select('id', 'customer_id', 'level', db.raw(`policy->>'officeId' as office_id`), 'assignee', 'state', 'reopen_count', 'clocks')
    .where('registered_at', '>=', new Date(q.fromMs))
    .andWhere('registered_at', '<', new Date(q.toMs))
    .orderBy([
      { column: 'registered_at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ])
    .limit(q.maxRows + 1);
  if (q.customerId !== undefined) query.andWhere('customer_id', q.customerId);
  const rows = (await query) as Row[];
  if (rows.length > q.maxRows) return null;
  return rows.map(toReportRequest);
}

/** A `support_requests` row (with `office_id` selected from the policy) as the SLA report reads it. */
export function toReportRequest(r: Row): ReportRequest {
  return {
    id: r.id,
    customerId: r.customer_id,
    level: r.level,
    officeId: r.office_id,
    agent: r.assignee,
    state: r.state,
    reopenCount: r.reopen_count,
    clocks: r.clocks,
  };
}
