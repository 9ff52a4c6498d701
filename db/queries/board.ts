import type { Knex } from 'knex';
import type { RequestState } from '../../domain/request/snapshot';
import type { SlaClock } from '../../domain/request/sla-clock';
import { OPEN_STATES } from '../../domain/request/transitions';

/** States a desk still works on (waiting on a third party too): the board's default. */
export { OPEN_STATES };

export interface BoardFilter {
  states: readonly RequestState[];
  levels?: readonly string[];
  customerId?: string;
  officeId?: string;
  assignee?: string;
  breached?: boolean;
  atRisk?: boolean;
  /** Words to find in the id, subject or external reference (case-insensitive). */
  text?: string;
  id?: string;
}

export interface BoardRow {
  id: string;
  state: RequestState;
  level: string | null;
  customer_id: string | null;
  office_id: string | null;
  subject: string;
  priority: string | null;
  assignee: string | null;
  assignee_group: string | null;
  external_ref: string | null;
  registered_at: Date;
  next_due_at: Date | null;
  breached: boolean;
  at_risk: boolean;
  clocks: SlaClock[];
  calendar_id: string;
  calendar_version_id: string;
}

export interface BoardCounts {
  total: number;
  breached: number;
  atRisk: number;
}

/** Breached first, then the nearest running deadline; paused requests (no running deadline) last. */
const BOARD_ORDER = 'breached desc, next_due_at asc nulls last, registered_at asc, id asc';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function filtered(db: Knex, f: BoardFilter): Knex.QueryBuilder {
  const q = db('support_requests').whereIn('state', f.states as RequestState[]);
  if (f.id !== undefined) q.where('id', f.id);
  if (f.levels?.length) q.whereIn('level', f.levels as string[]);
  if (f.customerId !== undefined) q.where('customer_id', f.customerId);
  if (f.officeId !== undefined) q.whereRaw(`policy->>'officeId' = ?`, [f.officeId]);
  if (f.assignee !== undefined) q.where('assignee', f.assignee);
  if (f.breached !== undefined) q.where('breached', f.breached);
  if (f.atRisk !== undefined) q.where('at_risk', f.atRisk);
  if (f.text !== undefined && f.text !== '') {
    const like = `%${escapeLike(f.text)}%`;
    q.where((w) => w.whereILike('subject', like).orWhereILike('id', like).orWhereILike('external_ref', like));
  }
  return q;
}

/**
 * The board: requests in the filter, breached first, then by the nearest running deadline
 * (paused requests, which have none, last), at most `limit`; and the counts of the whole filter.
 */
export async function readBoard(db: Knex, f: BoardFilter, limit: number): Promise<{ rows: BoardRow[]; counts: BoardCounts }> {
  // The top ids first (narrow rows, the partial index on the board order serves it), then the
  // wide columns (clocks, policy) of those rows only.
  const top = filtered(db, f).select('id').orderByRaw(BOARD_ORDER).limit(limit);
  const [rows, counts] = await Promise.all([
    db('support_requests')
      .whereIn('id', top)
      .select(
        'id',
        'state',
        'level',
        'customer_id',
        db.raw(`policy->>'officeId' as office_id`),
        'subject',
        'priority',
        'assignee',
        'assignee_group',
        'external_ref',
        'registered_at',
        'next_due_at',
        'breached',
        'at_risk',
        'clocks',
        'calendar_id',
        'calendar_version_id',
      )
      .orderByRaw(BOARD_ORDER) as Promise<BoardRow[]>,
    filtered(db, f)
      .first(db.raw('count(*)::int as total'), db.raw('(count(*) filter (where breached))::int as breached'), db.raw('(count(*) filter (where at_risk))::int as "atRisk"')) as Promise<BoardCounts>,
  ]);
  return { rows, counts };
}
