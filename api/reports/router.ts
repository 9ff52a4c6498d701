/**
 * SLA reports: per customer, level, office or agent over a registration period, as JSON or
 * CSV; and each customer's periodic report (what individual contracts promise), per level.
 * Mounted under /v1. A customer-scoped key only ever reports on its own customer.
 */
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { customerExists } from '../../db/queries/policy';
import { reportRequests } from '../../db/queries/sla-report';
import { buildSlaReport, slaReportCsv, type GroupStats, type ReportGrouping, type SlaReport } from '../../domain/reports/sla-report';
import { OPERATIONS, requireRole, ROLES } from '../auth/authorize';
import { canSeeCustomer, customerScopeOf } from '../auth/principal';
import { parseQuery, pathId } from '../policy/http';
import { NotFoundProblem, ValidationProblem } from '../problems';
import { customerSlaReportQuerySchema, MAX_REPORT_SPAN_MS, slaReportQuerySchema } from './schemas';

export interface ReportsRouterDeps {
  db: Knex;
  /** Refuse periods holding more requests than this (default 100 000). */
  maxRequests?: number;
  /** Breached requests listed per group (default 50). */
  breachListLimit?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

function presentGroup(g: GroupStats) {
  return { ...g, breaches: { ...g.breaches, items: g.breaches.items.map(({ breachedAtMs, ...b }) => ({ ...b, breachedAt: iso(breachedAtMs) })) } };
}

/** `to` after `from`, and the period not longer than a year and a day. */
function period(from: string, to: string): { fromMs: number; toMs: number } {
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  if (toMs <= fromMs) throw new ValidationProblem([{ field: 'query:to', rule: 'range_order', message: 'must be after from' }]);
  if (toMs - fromMs > MAX_REPORT_SPAN_MS) throw new ValidationProblem([{ field: 'query:to', rule: 'too_big', message: 'the period may be at most 366 days long' }]);
  return { fromMs, toMs };
}

function wantsCsv(req: Request, format: 'json' | 'csv' | undefined): boolean {
  if (format) return format === 'csv';
  return req.accepts(['application/json', 'text/csv']) === 'text/csv';
}

export function reportsRouter(deps: ReportsRouterDeps): Router {
  const { db } = deps;
  const maxRows = deps.maxRequests ?? 100_000;
  const router = Router();

  async function report(p: { fromMs: number; toMs: number }, groupBy: ReportGrouping, customerId: string | undefined): Promise<SlaReport> {
    const requests = await reportRequests(db, { ...p, customerId, maxRows });
    if (requests === null) {
      throw new ValidationProblem([{ field: 'query:from', rule: 'too_many_requests', message: `the period holds more than ${maxRows} requests; ask for a shorter one` }], 422);
    }
    return buildSlaReport(requests, groupBy, { breachListLimit: deps.breachListLimit });
  }

  function send(req: Request, res: Response, r: SlaReport, meta: { from: string; to: string; customerId: string | null }, format: 'json' | 'csv' | undefined) {
    if (wantsCsv(req, format)) {
      const name = `sla-report-${meta.customerId ? `${meta.customerId}-` : ''}${r.groupBy}-${meta.from.slice(0, 10)}-${meta.to.slice(0, 10)}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
      res.type('text/csv; charset=utf-8').attachment(name).send(slaReportCsv(r));
      return;
    }
    res.json({
      period: { from: meta.from, to: meta.to },
      groupBy: r.groupBy,
      customerId: meta.customerId,
      generatedAt: iso(Date.now()),
      groups: r.groups.map(presentGroup),
      total: presentGroup(r.total),
    });
  }

  router.get('/reports/sla', requireRole(...OPERATIONS), async (req, res) => {
    const q = parseQuery(req, slaReportQuerySchema);
    const p = period(q.from, q.to);
    const scope = customerScopeOf(req);
    // A scoped key reports on its own customer; naming another is "not found", as for its records.
    if (q.customerId !== undefined && !canSeeCustomer(req, q.customerId)) throw new NotFoundProblem(`customer "${q.customerId}"`);
    const customerId = scope ?? q.customerId;
    send(req, res, await report(p, q.groupBy, customerId), { from: q.from, to: q.to, customerId: customerId ?? null }, q.format);
  });

  // The customer's periodic report: its requests per level. Its own scoped key may read it.
  router.get('/customers/:customerId/reports/sla', requireRole(...ROLES), async (req, res) => {
    const customerId = pathId(req, 'customerId');
    const q = parseQuery(req, customerSlaReportQuerySchema);
    if (!canSeeCustomer(req, customerId) || !(await customerExists(db, customerId))) throw new NotFoundProblem(`customer "${customerId}"`);
    const p = period(q.from, q.to);
    send(req, res, await report(p, 'level', customerId), { from: q.from, to: q.to, customerId }, q.format);
  });

  return router;
}
