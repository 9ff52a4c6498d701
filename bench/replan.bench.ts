import { Client, Connection } from '@temporalio/client';
import { DateTime } from 'luxon';
import type { ReplanReport } from '../services/calendars/replan-updates';
import { createKnex } from '../db/knex';
import { withBaselineWorker } from './baseline-worker';
import { benchBumpUpdate, benchRegisteredUpdate, benchStopUpdate, type benchTrivial } from './fixtures/baseline-workflows';
import type { LocalStack } from '../infra/local-stack';
import { stackApi } from '../infra/stack-api';
import { fmt, formatLoad, runLoad } from './stats';

/**
 * A calendar change re-planning its open requests: `count` open requests on one calendar,
 * then POST /v1/calendars/:id/versions adds a holiday; the durable re-plan workflow sends
 * every request's workflow the `replan` Update (64 in flight) and the API answers with its
 * report. Floor: the same number of bare Updates on trivial workflows at the same concurrency
 * (one Update round trip with a workflow task each; no calendar, no state machine, no write).
 * Also printed: bare `describe()` calls on the requests (one server round trip, no workflow task).
 *
 * The requests get their own run-time calendar (a copy of the supplier calendar, through an
 * individual contract), so the fan-out touches exactly these `count` requests whatever else
 * the bench registered on the supplier calendar.
 */
export async function runReplanBench(stack: LocalStack, opts: { count: number; registerConcurrency?: number }): Promise<string[]> {
  const api = stack.apiUrls[0]!;
  const run = Date.now().toString(36);
  const calendarId = `bench-replan-${run}`;
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  const db = createKnex(stack.databaseUrl, { max: 2 });
  const call = async <T = unknown>(method: string, path: string, body: unknown, expected: number[]): Promise<T> => {
    const res = await fetch(`${api}${path}`, { method, headers: { 'content-type': 'application/json', ...stackApi(stack).headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!expected.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };

  try {
    const supplier = await call<{ spec: { versions: Array<Record<string, unknown>> } }>('GET', '/v1/calendars/supplier', undefined, [200]);
    const { versionId: _v, effectiveFrom: _e, ...supplierSpec } = supplier.spec.versions.at(-1)!;
    await call('PUT', `/v1/calendars/${calendarId}`, { ...supplierSpec, name: 'Bench: copy of the supplier calendar' }, [201]);
    const customerId = `bench-replan-${run}`;
    await call('POST', '/v1/customers', { id: customerId, name: 'Bench re-plan customer' }, [201]);
    const today = DateTime.utc().startOf('day');
    await call(
      'POST',
      '/v1/contracts',
      {
        id: `bench-replan-${run}`,
        customerId,
        counterparty: { kind: 'dealer', name: 'Bench Dealer' },
        from: today.minus({ days: 30 }).toISODate(),
        to: today.plus({ days: 365 }).toISODate(),
        sla: {
          calendarId,
          targets: { kind: 'single', firstResponse: { workingHours: 8 }, resolution: { workingHours: 40 } },
          channels: ['messenger'],
          services: ['customisation'],
        },
      },
      [201],
    );

    const registered = await runLoad(opts.count, opts.registerConcurrency ?? 16, async (i) => {
      await call('POST', '/v1/requests', { subject: `bench re-plan ${i}`, externalRef: `bench-replan-${run}-${i}`, customerId, channel: 'messenger', category: 'customisation' }, [201]);
    });
    const rows: Array<{ workflow_id: string }> = await db('support_requests').select('workflow_id').where({ calendar_id: calendarId }).whereIn('state', ['registered', 'in_progress', 'waiting_on_customer']);

    const describe = await runLoad(rows.length, 64, async (i) => {
      await client.workflow.getHandle(rows[i]!.workflow_id).describe();
    });
    const bareUpdate = await withBaselineWorker(stack, db, async (taskQueue) => {
      const ids = Array.from({ length: rows.length }, (_, i) => `bench-bump-${run}-${i}`);
      await runLoad(ids.length, 16, async (i) => {
        await client.workflow.start<typeof benchTrivial>('benchTrivial', { workflowId: ids[i]!, taskQueue, args: [ids[i]!] });
        await client.workflow.getHandle(ids[i]!).executeUpdate(benchRegisteredUpdate);
      });
      const load = await runLoad(ids.length, 64, async (i) => {
        await client.workflow.getHandle(ids[i]!).executeUpdate(benchBumpUpdate, { args: [1] });
      });
      await runLoad(ids.length, 16, async (i) => {
        await client.workflow.getHandle(ids[i]!).executeUpdate(benchStopUpdate);
      });
      return load;
    });

    // A decree: the next Monday becomes a holiday, from now on.
    const holiday = DateTime.now().setZone('Europe/Moscow').startOf('week').plus({ weeks: 1 }).toISODate()!;
    const started = performance.now();
    const added = await call<{ version: { id: string }; replan: ReplanReport }>(
      'POST',
      `/v1/calendars/${calendarId}/versions`,
      { effectiveFrom: new Date().toISOString(), author: 'bench', addExceptions: { holidays: [holiday] } },
      [201],
    );
    const httpSeconds = (performance.now() - started) / 1000;
    const report = added.replan;
    const fanOutSeconds = report.durationMs / 1000;
    const moved = await db('support_requests').where({ calendar_id: calendarId, calendar_version_id: added.version.id }).count({ n: '*' }).first();
    const perSecond = report.replanned / fanOutSeconds;

    return [
      `re-plan after a calendar change (${rows.length} open requests on one calendar, ${report.concurrency} Updates in flight):`,
      formatLoad(`  registering the requests (setup, concurrency ${opts.registerConcurrency ?? 16})`, registered),
      formatLoad('  bare describe() on each request', describe),
      formatLoad('  bare Update on a trivial workflow (floor)', bareUpdate),
      `  ${'POST /v1/calendars/:id/versions (workflow)'.padEnd(44)} ${fmt(perSecond).padStart(9)}/s   re-plan ${fmt(fanOutSeconds, 2)} s, HTTP ${fmt(httpSeconds, 2)} s   (${report.replanned} re-planned, ${report.alreadyFinished} finished, ${report.failed} failed${report.failed ? ` ${JSON.stringify(report.failuresByReason)}` : ''})`,
      `  projection on the new version: ${Number(moved?.n ?? 0)} of ${rows.length} rows`,
      `  ratio re-plan / bare Update: ${fmt(perSecond / bareUpdate.perSecond, 2)};  10,000 open requests at this rate: ~${fmt(10_000 / perSecond, 0)} s`,
    ];
  } finally {
    await db.destroy();
    await connection.close();
  }
}
