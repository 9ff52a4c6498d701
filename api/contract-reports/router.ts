import { Router } from 'express';
import type { Knex } from 'knex';
import { getReport, getReporting, listReports } from '../../db/queries/contract-reports';
import { getContract } from '../../db/queries/policy';
import type { ContractReportingService } from '../../services/contract-reporting';
import { configWriter, staffReader } from '../auth/authorize';
import { actorOf, canSeeCustomer } from '../auth/principal';
import { enc, found, parseQuery, pathId } from '../policy/http';
import { parseBody } from '../validate';
import { reportingBody, reportQuery } from './schemas';

/**
 * /v1/contracts/:contractId/reporting and /reports: a contract's periodic report terms (with
 * their Temporal Schedule) and the reports produced. Operations and admin set the terms; staff
 * read; a customer-scoped key reads its own customer's contracts only (404 otherwise).
 */
export function contractReportsRouter(deps: { db: Knex; reporting: ContractReportingService }): Router {
  const router = Router();
  const { db } = deps;

  async function visibleContract(req: Parameters<typeof pathId>[0]): Promise<string> {
    const id = pathId(req, 'contractId');
    const contract = await getContract(db, id);
    found(contract && canSeeCustomer(req, contract.customerId) ? contract : undefined, `contract "${id}"`);
    return id;
  }

  router.put('/:contractId/reporting', ...configWriter, async (req, res) => {
    const id = pathId(req, 'contractId');
    const body = parseBody(req, reportingBody);
    const { created, reporting } = await deps.reporting.set(id, body, actorOf(req));
    res.status(created ? 201 : 200).location(`${req.baseUrl}/${enc(id)}/reporting`).json(reporting);
  });

  router.get('/:contractId/reporting', ...staffReader, async (req, res) => {
    const id = await visibleContract(req);
    res.json(found(await getReporting(db, id), `reporting of contract "${id}"`));
  });

  router.delete('/:contractId/reporting', ...configWriter, async (req, res) => {
    const id = pathId(req, 'contractId');
    found((await deps.reporting.remove(id)) || undefined, `reporting of contract "${id}"`);
    res.status(204).end();
  });

  router.get('/:contractId/reports', ...staffReader, async (req, res) => {
    const id = await visibleContract(req);
    res.json({ items: await listReports(db, id) });
  });

  router.get('/:contractId/reports/:reportId', ...staffReader, async (req, res) => {
    const id = await visibleContract(req);
    const { format } = parseQuery(req, reportQuery);
    const reportId = String(req.params.reportId);
    const stored = found(await getReport(db, id, reportId), `report ${reportId} of contract "${id}"`);
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment(`contract-${id}-${stored.from}-${stored.to}.csv`).send(stored.csv);
      return;
    }
    const { csv: _csv, ...rest } = stored;
    res.json(rest);
  });

  return router;
}
