import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { RecordIdSchema } from '../../../domain/policy';
import { reportingBody, reportQuery } from '../../contract-reports/schemas';
import { jsonResponse, named } from '../components';
import { defineOperation } from '../define';

const TAG = 'Contracts';
const TERMS = 'The terms: contractId, period, recipients, scheduleId (the Temporal Schedule), timezone, updatedAt, updatedBy ({ keyId, role })';

/** /v1/contracts/{contractId}/reporting and /reports (`api/contract-reports/router.ts`). */
export function registerContractReportPaths(registry: OpenAPIRegistry): void {
  const params = { contractId: RecordIdSchema };
  defineOperation(registry, {
    method: 'put',
    path: '/v1/contracts/{contractId}/reporting',
    tag: TAG,
    summary: "Set a contract's periodic report (operations, admin)",
    description:
      'Creates or updates the Temporal Schedule `contract-report-<contractId>`: at 00:05 on the first day of each month or quarter, in the time zone of the contract calendar, ' +
      'a run reports on the period that just ended (requests per employee with clocks and outcome, compliance per target, breaches with causes), stores it, ' +
      'e-mails it with the CSV attached and sends the summary by webhook. 201 when new, 200 when changed. 503 with Retry-After when Temporal does not take the schedule (retry the same PUT).',
    params,
    body: named(registry, 'ContractReporting', reportingBody),
    responses: { 201: jsonResponse(`Set. ${TERMS}`), 200: jsonResponse(`Changed. ${TERMS}`) },
    errors: [404, 422],
  });
  defineOperation(registry, {
    method: 'get',
    path: '/v1/contracts/{contractId}/reporting',
    tag: TAG,
    summary: "A contract's periodic report terms",
    params,
    responses: { 200: jsonResponse(TERMS) },
    errors: [404],
  });
  defineOperation(registry, {
    method: 'delete',
    path: '/v1/contracts/{contractId}/reporting',
    tag: TAG,
    summary: "Stop a contract's periodic report (operations, admin)",
    description: 'Deletes the schedule, then the terms; reports already produced stay readable. 503 with Retry-After when Temporal does not answer (nothing changed).',
    params,
    responses: { 204: { description: 'Stopped' } },
    errors: [404],
  });
  defineOperation(registry, {
    method: 'get',
    path: '/v1/contracts/{contractId}/reports',
    tag: TAG,
    summary: "A contract's reports, newest period first",
    params,
    responses: { 200: jsonResponse('`items`: { id, contractId, period, from, to, requestCount, generatedAt }') },
    errors: [404],
  });
  defineOperation(registry, {
    method: 'get',
    path: '/v1/contracts/{contractId}/reports/{reportId}',
    tag: TAG,
    summary: 'A stored contract report, as JSON or CSV',
    params: { ...params, reportId: z.string().describe('A report id from the list') },
    query: reportQuery,
    responses: {
      200: {
        description: 'JSON: the head and `report` (summary: compliance per target and breaches; byReporter: requests per employee with clocks and outcome). CSV (`format=csv`): one row per request.',
        content: { 'application/json': { schema: z.looseObject({}) }, 'text/csv': { schema: z.string() } },
      },
    },
    errors: [404],
  });
}
