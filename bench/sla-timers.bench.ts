import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createKnex } from '../db/knex';
import { catalogueEffectiveAt, PUBLISHED_CATALOGUES } from '../domain/policy/catalogue';
import { alwaysOnContract } from '../test/e2e/fixtures/always-on-contract';
import { startWebhookReceiver, type WebhookReceiver } from '../test/e2e/fixtures/webhook-receiver';
import type { LocalStack } from '../infra/local-stack';
import { stackApi } from '../infra/stack-api';
import { workflowThreadsFromEnv } from '../worker/workflow-threads';
import { fmt, percentile, runLoad } from './stats';

/**
 * SLA timers under load and the cost of an open request.
 *
 * Lateness: `count` requests on an individual contract with a 24x7 calendar are registered
 * over HTTP before the first of their first-response targets ends; intake's `receivedAt` (in
 * the past) spreads their breaches' due instants over BENCH_STORM_SECONDS (60 by default). The
 * target is long enough for their warnings to fall due before the storm, as a real storm's
 * hours-long target has them. Each breach brings its escalation step 0 and a webhook to a
 * loopback receiver. Lateness = when the breach was handled in the workflow minus its due
 * instant; the server's part of it (due instant to the timer's TimerFired event) is printed
 * beneath. Floor: as
 * many bare workflows sleeping on a Temporal timer until instants in the same pattern (the
 * breaches' due instants, shifted), on the same server, run as a phase of its own once the
 * breaches are handled (run concurrently, the baseline would itself be a victim of the SLA
 * load). The escalation webhooks are counted: enqueued, delivered, lost, received twice.
 *
 * Cost: worker RSS, PostgreSQL bytes and Temporal (SQLite) bytes before and after, scaled to
 * 10,000 open requests.
 */
/** The breaches of the storm fall due within this window (the "1000 breaches due within one minute"). */
const STORM_MS = Number(process.env.BENCH_STORM_SECONDS ?? 60) * 1000;

const per10kOf = (bytes: number, count: number) => `${fmt(((bytes / Math.max(1, count)) * 10_000) / 1024 / 1024, 1)} MiB`;

/** Where a history's bytes go: encoded bytes per event type, largest first ("type ×count bytes"). */
async function historyAnatomy(client: Client, workflowId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const byType = new Map<string, { count: number; bytes: number }>();
  for (const event of history.events ?? []) {
    const type = temporal.api.enums.v1.EventType[event.eventType ?? 0]?.replace(/^EVENT_TYPE_/, '').toLowerCase() ?? String(event.eventType);
    const entry = byType.get(type) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += temporal.api.history.v1.HistoryEvent.encode(event).finish().length;
    byType.set(type, entry);
  }
  return [...byType.entries()].sort((a, b) => b[1].bytes - a[1].bytes).map(([t, e]) => `${t} ×${e.count} ${e.bytes} B`).join(', ');
}

/** A protobuf timestamp (history event time) as epoch ms. */
const epochMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);

export async function runSlaTimerBench(
  stack: LocalStack,
  opts: { count: number; concurrency: number; dataDir: string; webhookSecret: string },
): Promise<string[]> {
  const receiver = await startWebhookReceiver(opts.webhookSecret);
  const api = stack.apiUrls[0]!;
  const run = Date.now().toString(36);
  const db = createKnex(stack.databaseUrl, { max: 2 });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  const headers = { 'content-type': 'application/json', ...stackApi(stack).headers };
  const post = async (url: string, body: unknown) => {
    const res = await fetch(`${api}${url}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const temporalBytes = () => ['temporal.db', 'temporal.db-wal'].reduce((sum, f) => {
    try {
      return sum + statSync(path.join(opts.dataDir, f)).size;
    } catch {
      return sum;
    }
  }, 0);
  // The tables the figure counted, and with them the rest a request writes: its intake
  // claim and its policy's shared terms (once per distinct terms).
  const pgBytes = async () => {
    const size = (table: string) => `pg_total_relation_size('${table}')`;
    const { rows } = await db.raw(
      `select ${['support_requests', 'request_events', 'notification_outbox'].map(size).join(' + ')} as core, ${['request_intake', 'pinned_policy_terms'].map(size).join(' + ')} as claims`,
    );
    return { core: Number(rows[0].core), all: Number(rows[0].core) + Number(rows[0].claims) };
  };
  const workerRss = async () => {
    let kb = 0;
    for (const w of stack.workers) {
      const status = await readFile(`/proc/${w.pid}/status`, 'utf8').catch(() => '');
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    }
    return kb * 1024;
  };

  try {
    const customerId = `bench-timers-${run}`;
    // Registration runs at roughly 10-40/s here; leave time for all before the first breach.
    const leadMs = (Math.ceil(opts.count / 5) + 60) * 1000;
    // A real storm's target is hours long: its warnings (at 75 % and 90 % of the target) fall
    // due long before its breaches. Here the target is as short as allows that: the last
    // warning of the last request is due before the first breach.
    const lastWarning = Math.max(...catalogueEffectiveAt(PUBLISHED_CATALOGUES, Date.now()).levels.individual.alerting.warnings);
    const targetMs = Math.max(leadMs + 60_000, Math.ceil(STORM_MS / (1 - lastWarning)) + 60_000);
    await post('/v1/products', { id: `bench-kompas-${run}`, name: 'Bench product', kind: 'commercial' });
    await post('/v1/customers', { id: customerId, name: 'Bench timers' });
    // Whoever the warnings and the breach's escalation step 0 notify (nobody is assigned: the duty role).
    await db('notification_recipients')
      .insert({ id: `bench-duty-${run}`, name: 'Bench duty desk', roles: ['duty-agent', 'team-lead'], webhook_url: receiver.url(`/${run}`) })
      .onConflict('id')
      .ignore();
    // Its first-response target ends after the last registration; resolution far beyond the storm.
    await post('/v1/contracts', alwaysOnContract(`bench-C-${run}`, customerId, targetMs / 3_600_000, 1000));

    // Warm the worker up first (bundle, caches, pools), so growth is what open requests cost.
    await runLoad(20, 4, async (i) => {
      await post('/v1/requests', { subject: `warm-up ${i}`, customerId, channel: 'supplier-email', category: 'defect-report', externalRef: `bench-warm-${run}-${i}` });
    });
    const before = { rss: await workerRss(), pg: await pgBytes(), temporal: temporalBytes() };
    // The storm: request i's breach is due leadMs + STORM_MS * i / count after t0, however fast
    // registration runs: intake's receivedAt (in the past) says when it reached the desk.
    const t0 = Date.now();
    const registered = await runLoad(opts.count, opts.concurrency, async (i) => {
      const receivedAt = new Date(t0 + leadMs + Math.floor((STORM_MS * i) / opts.count) - targetMs).toISOString();
      await post('/v1/requests', { subject: `timer ${i}`, customerId, channel: 'supplier-email', category: 'defect-report', externalRef: `bench-timer-${run}-${i}`, receivedAt });
    });
    const after = { rss: await workerRss(), pg: await pgBytes(), temporal: temporalBytes() };
    // History bytes per request as Temporal serialises them (independent of SQLite's page allocation).
    // Also, once breached: when the server fired each breach's timer (its TimerFired event),
    // which splits the lateness into the server's part and the worker's.
    const timerFiredLateness: number[] = [];
    const historyBytes = async (dueByWorkflow?: Map<string, number>) => {
      const ids: string[] = await db('support_requests').where({ customer_id: customerId }).pluck('workflow_id');
      let bytes = 0;
      await runLoad(ids.length, 8, async (i) => {
        const history = await client.workflow.getHandle(ids[i]!).fetchHistory();
        bytes += temporal.api.history.v1.History.encode(history).finish().length;
        const due = dueByWorkflow?.get(ids[i]!);
        if (due !== undefined) {
          const fired = history.events?.find((e) => e.timerFiredEventAttributes && epochMs(e.eventTime) >= due);
          if (fired) timerFiredLateness.push(epochMs(fired.eventTime) - due);
        }
      });
      return bytes / Math.max(1, ids.length);
    };
    const historyRegistered = await historyBytes();
    // Wait for every request's breach.
    const deadline = t0 + leadMs + STORM_MS + 180_000;
    let lateness: number[] = [];
    let dueByWorkflow = new Map<string, number>();
    for (;;) {
      const rows = await db('request_events')
        .join('support_requests', 'support_requests.id', 'request_events.request_id')
        .where('support_requests.customer_id', customerId)
        .andWhere('support_requests.external_ref', 'like', `bench-timer-${run}-%`)
        .andWhere('request_events.type', 'sla_breached')
        .select('request_events.data', 'support_requests.workflow_id');
      lateness = rows.map((r: { data: { firedAt: number; dueAt: number } }) => r.data.firedAt - r.data.dueAt);
      dueByWorkflow = new Map(rows.map((r: { data: { dueAt: number }; workflow_id: string }) => [r.workflow_id, r.data.dueAt]));
      if (lateness.length >= registered.count - registered.errors || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }

    const notices = await escalationNotices(db, receiver, run, deadline);

    // The floor, on its own: bare timers due in the breaches' pattern, shifted to start in 5 s.
    const taskQueue = `bench-timer-${run}`;
    const workerConnection = await NativeConnection.connect({ address: stack.temporalAddress });
    const worker = await Worker.create({ connection: workerConnection, taskQueue, workflowsPath: require.resolve('./fixtures/timer-workflow'), workflowThreadPoolSize: workflowThreadsFromEnv() });
    const dues = [...dueByWorkflow.values()];
    const firstDue = dues.length ? Math.min(...dues) : Date.now();
    // A head start for bundling the worker's code and starting every workflow before the first
    // is due (the requests had theirs: registered before any breach was due).
    const shift = Date.now() + 30_000 + dues.length * 30 - firstDue;
    const historyBreached = await historyBytes(dueByWorkflow);
    timerFiredLateness.sort((a, b) => a - b);
    const anatomy = await historyAnatomy(client, (await db('support_requests').where({ customer_id: customerId }).first('workflow_id')).workflow_id);
    const bareBefore = temporalBytes();
    let lastStartedMs = 0;
    const bare = (
      await worker.runUntil(
        Promise.all(
          dues.map(async (due, i) => {
            const handle = await client.workflow.start('benchTimer', { taskQueue, workflowId: `bench-timer-${run}-${i}-${randomUUID()}`, args: [due + shift] });
            lastStartedMs = Math.max(lastStartedMs, Date.now());
            return handle.result() as Promise<number>;
          }),
        ),
      )
    ).sort((a, b) => a - b);
    await workerConnection.close();
    const bareTemporalPer10k = per10kOf(temporalBytes() - bareBefore, bare.length);
    lateness.sort((a, b) => a - b);
    const per10k = (delta: number) => per10kOf(delta, registered.count - registered.errors);
    return [
      `SLA timers: ${registered.count} requests whose breaches are due within ${fmt((Math.max(...dues) - firstDue) / 1000, 0)} s of each other (registered at ${fmt(registered.perSecond)}/s; escalation step 0 and its notification with each breach):`,
      `  breach lateness (handled - due)               p50 ${fmt(percentile(lateness, 50), 0).padStart(6)} ms   p99 ${fmt(percentile(lateness, 99), 0).padStart(6)} ms   (${lateness.length} breaches)`,
      `    of which the server, firing the timer       p50 ${fmt(percentile(timerFiredLateness, 50), 0).padStart(6)} ms   p99 ${fmt(percentile(timerFiredLateness, 99), 0).padStart(6)} ms   (due -> its TimerFired event; the rest is the worker's)`,
      `  bare Temporal timers, same pattern, own phase p50 ${fmt(percentile(bare, 50), 0).padStart(6)} ms   p99 ${fmt(percentile(bare, 99), 0).padStart(6)} ms   (${bare.length} timers, all started ${fmt((firstDue + shift - lastStartedMs) / 1000, 1)} s before the first was due)`,
      `  ratio of p99s (target: at most 1.5)           ${fmt(percentile(lateness, 99) / Math.max(1, percentile(bare, 99)), 2)}`,
      `  escalation webhooks (breach due -> received)  p50 ${fmt(percentile(notices.lateness, 50), 0).padStart(6)} ms   p99 ${fmt(percentile(notices.lateness, 99), 0).padStart(6)} ms   (${notices.rows} enqueued for ${lateness.length} breaches, ${notices.delivered} delivered, ${notices.lost} lost, ${notices.doubled} received twice)`,
      `cost of open requests, per 10,000 (measured on ${registered.count}):`,
      `  PostgreSQL (requests, timeline, outbox)       ${per10k(after.pg.core - before.pg.core)}   (with intake claims and policy terms: ${per10k(after.pg.all - before.pg.all)})`,
      `  Temporal dev server (SQLite file + WAL)       ${per10k(after.temporal - before.temporal)}   (floor: a bare timer workflow run to completion, ${bareTemporalPer10k})`,
      `  Temporal history (encoded, current run)       ${fmt((historyRegistered * 10_000) / 1024 / 1024, 1)} MiB registered, ${fmt((historyBreached * 10_000) / 1024 / 1024, 1)} MiB after 2 warnings + breach + escalations (${fmt(historyRegistered / 1024, 1)} / ${fmt(historyBreached / 1024, 1)} KiB per request)`,
      `  one breached request's history by event type: ${anatomy}`,
      `  worker RSS growth (${stack.workers.length} worker(s); workflow cache is bounded, evicted requests cost no memory)  ${per10k(after.rss - before.rss)}`,
    ];
  } finally {
    await receiver.close();
    await connection.close();
    await db.destroy();
  }
}

/**
 * The storm's escalation notifications (step 0, with each breach): waits until each outbox row is
 * delivered (or the deadline), then counts what never arrived and what arrived twice (the
 * receiver sees every send, repeats included), and how late each arrived after its breach was due.
 */
async function escalationNotices(db: Knex, receiver: WebhookReceiver, run: string, deadline: number) {
  const rows = () =>
    db('notification_outbox')
      .join('support_requests', 'support_requests.id', 'notification_outbox.request_id')
      .where('support_requests.external_ref', 'like', `bench-timer-${run}-%`)
      .andWhere('notification_outbox.kind', 'breach')
      .select('notification_outbox.idempotency_key as key', 'notification_outbox.status as status', 'support_requests.first_response_due_at as due');
  let outbox: Array<{ key: string; status: string; due: Date }> = await rows();
  while (outbox.some((r) => r.status !== 'delivered' && r.status !== 'failed') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1_000));
    outbox = await rows();
  }
  const receipts = new Map<string, number[]>();
  for (const r of receiver.receipts) receipts.set(r.eventId, [...(receipts.get(r.eventId) ?? []), r.atMs]);
  const lateness = outbox
    .filter((r) => receipts.has(r.key))
    .map((r) => receipts.get(r.key)![0]! - r.due.getTime())
    .sort((a, b) => a - b);
  return {
    rows: outbox.length,
    delivered: outbox.filter((r) => r.status === 'delivered').length,
    lost: outbox.filter((r) => !receipts.has(r.key)).length,
    doubled: outbox.filter((r) => (receipts.get(r.key)?.length ?? 0) > 1).length,
    lateness,
  };
}

