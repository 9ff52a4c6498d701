import type { Knex } from 'knex';
import { OPEN_STATES } from '../../domain/request/transitions';

/** Where a re-plan stands (the row of `calendar_replans`); `done` = replanned + alreadyFinished. */
export interface ReplanProgress {
  calendarId: string;
  versionId: string;
  workflowId: string;
  status: 'running' | 'finished';
  /** Open requests on the calendar, not on the version, when the re-plan started. */
  total: number;
  replanned: number;
  /** Finished meanwhile (closed, cancelled, or refused because no clock runs any more). */
  alreadyFinished: number;
  failed: number;
  done: number;
  /** ISO instants (the progress travels through Temporal payloads as JSON). */
  startedAt: string;
  finishedAt: string | null;
}

export interface ReplanTarget {
  seq: number;
  requestId: string;
  workflowId: string;
}

export interface ReplanOutcome {
  seq: number;
  outcome: 'replanned' | 'finished' | 'failed';
  reason?: string;
  message?: string;
}

export interface ReplanFailureRow {
  requestId: string;
  workflowId: string;
  reason: string;
  message: string;
}

interface ReplanRow {
  calendar_id: string;
  version_id: string;
  workflow_id: string;
  status: 'running' | 'finished';
  total: number;
  replanned: number;
  already_finished: number;
  failed: number;
  started_at: Date;
  finished_at: Date | null;
}

const progressOf = (r: ReplanRow): ReplanProgress => ({
  calendarId: r.calendar_id,
  versionId: r.version_id,
  workflowId: r.workflow_id,
  status: r.status,
  total: r.total,
  replanned: r.replanned,
  alreadyFinished: r.already_finished,
  failed: r.failed,
  done: r.replanned + r.already_finished,
  startedAt: r.started_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
});

const key = (calendarId: string, versionId: string) => ({ calendar_id: calendarId, version_id: versionId });

/**
 * Starts a re-plan once: the row and its targets (every open request on the calendar not yet on
 * the version) in one transaction, so a repeat (a retried activity, a new workflow run) finds
 * them and selects nothing again.
 */
export async function beginReplan(db: Knex, r: { calendarId: string; versionId: string; workflowId: string; author: string }): Promise<ReplanProgress> {
  await db.transaction(async (trx) => {
    const inserted = await trx('calendar_replans')
      .insert({ ...key(r.calendarId, r.versionId), workflow_id: r.workflowId, author: r.author })
      .onConflict(['calendar_id', 'version_id'])
      .ignore()
      .returning('calendar_id');
    if (inserted.length === 0) return;
    const open = OPEN_STATES.map(() => '?').join(', ');
    await trx.raw(
      `insert into calendar_replan_targets (calendar_id, version_id, seq, request_id, workflow_id)
       select ?, ?, row_number() over (order by registered_at, id), id, workflow_id
         from support_requests
        where calendar_id = ? and state in (${open}) and calendar_version_id is distinct from ?`,
      [r.calendarId, r.versionId, r.calendarId, ...OPEN_STATES, r.versionId],
    );
    await trx('calendar_replans')
      .where(key(r.calendarId, r.versionId))
      .update({ total: trx('calendar_replan_targets').where(key(r.calendarId, r.versionId)).count('*'), updated_at: trx.fn.now() });
  });
  return (await readReplan(db, r.calendarId, r.versionId))!;
}

/** Re-plans running now, then those finished within `recentMs`, newest first (at most `limit`). */
export async function listReplans(db: Knex, opts: { recentMs: number; limit: number }): Promise<ReplanProgress[]> {
  const rows: ReplanRow[] = await db('calendar_replans')
    .where('status', 'running')
    .orWhere('finished_at', '>', new Date(Date.now() - opts.recentMs))
    .orderByRaw(`status = 'running' desc, started_at desc`)
    .limit(opts.limit);
  return rows.map(progressOf);
}

export async function readReplan(db: Knex, calendarId: string, versionId: string): Promise<ReplanProgress | undefined> {
  const row: ReplanRow | undefined = await db('calendar_replans').where(key(calendarId, versionId)).first();
  return row && progressOf(row);
}

/** The next `limit` targets without an outcome, in registration order. */
export async function pendingTargets(db: Knex, calendarId: string, versionId: string, limit: number): Promise<ReplanTarget[]> {
  const rows: Array<{ seq: number; request_id: string; workflow_id: string }> = await db('calendar_replan_targets')
    .select('seq', 'request_id', 'workflow_id')
    .where(key(calendarId, versionId))
    .whereNull('outcome')
    .orderBy('seq')
    .limit(limit);
  return rows.map((r) => ({ seq: r.seq, requestId: r.request_id, workflowId: r.workflow_id }));
}

/** Records a page's outcomes and recounts the progress row from the targets (exact under retries). */
export async function recordOutcomes(db: Knex, calendarId: string, versionId: string, outcomes: ReplanOutcome[]): Promise<ReplanProgress> {
  await db.transaction(async (trx) => {
    if (outcomes.length > 0) {
      const values = outcomes.map(() => '(?::integer, ?, ?, ?)').join(', ');
      await trx.raw(
        `update calendar_replan_targets t set outcome = v.outcome, reason = v.reason, message = v.message
           from (values ${values}) as v(seq, outcome, reason, message)
          where t.calendar_id = ? and t.version_id = ? and t.seq = v.seq`,
        [...outcomes.flatMap((o) => [o.seq, o.outcome, o.reason ?? null, o.message?.slice(0, 1_000) ?? null]), calendarId, versionId],
      );
    }
    await trx.raw(
      `update calendar_replans r set
          replanned = c.replanned, already_finished = c.finished, failed = c.failed, updated_at = now()
         from (select count(*) filter (where outcome = 'replanned') as replanned,
                      count(*) filter (where outcome = 'finished') as finished,
                      count(*) filter (where outcome = 'failed') as failed
                 from calendar_replan_targets where calendar_id = ? and version_id = ?) c
        where r.calendar_id = ? and r.version_id = ? and r.status = 'running'`,
      [calendarId, versionId, calendarId, versionId],
    );
  });
  return (await readReplan(db, calendarId, versionId))!;
}

/**
 * Marks the re-plan finished and keeps only the failed targets (the rest are done with). A
 * repeat changes nothing.
 */
export async function finishReplan(db: Knex, calendarId: string, versionId: string): Promise<ReplanProgress> {
  await db.transaction(async (trx) => {
    const updated = await trx('calendar_replans').where(key(calendarId, versionId)).where('status', 'running').update({ status: 'finished', finished_at: trx.fn.now(), updated_at: trx.fn.now() });
    if (updated > 0) await trx('calendar_replan_targets').where(key(calendarId, versionId)).whereIn('outcome', ['replanned', 'finished']).delete();
  });
  return (await readReplan(db, calendarId, versionId))!;
}

/** The first `limit` failures, and all of them counted by reason. */
export async function replanFailures(db: Knex, calendarId: string, versionId: string, limit: number): Promise<{ listed: ReplanFailureRow[]; byReason: Record<string, number> }> {
  const rows: Array<{ request_id: string; workflow_id: string; reason: string; message: string }> = await db('calendar_replan_targets')
    .select('request_id', 'workflow_id', 'reason', 'message')
    .where(key(calendarId, versionId))
    .where('outcome', 'failed')
    .orderBy('seq')
    .limit(limit);
  const counted: Array<{ reason: string; n: string }> = await db('calendar_replan_targets')
    .select('reason')
    .count({ n: '*' })
    .where(key(calendarId, versionId))
    .where('outcome', 'failed')
    .groupBy('reason');
  return {
    listed: rows.map((r) => ({ requestId: r.request_id, workflowId: r.workflow_id, reason: r.reason, message: r.message })),
    byReason: Object.fromEntries(counted.map((c) => [c.reason, Number(c.n)])),
  };
}

/** Open requests on the calendar, and how many of them are on `versionId` (the projection's view). */
export async function openRequestsOnVersion(db: Knex, calendarId: string, versionId: string): Promise<{ openRequests: number; onVersion: number }> {
  const rows: Array<{ on_version: boolean; n: string }> = await db('support_requests')
    .select(db.raw('calendar_version_id = ? as on_version', [versionId]), db.raw('count(*) as n'))
    .where('calendar_id', calendarId)
    .whereIn('state', [...OPEN_STATES])
    .groupByRaw('1');
  const onVersion = Number(rows.find((r) => r.on_version === true)?.n ?? 0);
  return { openRequests: rows.reduce((sum, r) => sum + Number(r.n), 0), onVersion };
}
