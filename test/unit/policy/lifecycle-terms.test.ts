// Lifecycle terms as catalogue and contract data: support-levels.v2 keeps the seed's behaviour
// (a reply to a resolved request reopens it), a level or a contract may say otherwise, and the
// terms are pinned into the request; pins from before the terms read the old behaviour.
import { admitRequest, catalogueByVersion, parseCatalogue, PUBLISHED_CATALOGUES, type Catalogue } from '../../../domain/policy';
import { lifecycleTermsOf, nextReplyTargetMs } from '../../../domain/policy/pinned-lifecycle';
import supportLevelsV2 from '../../../catalogue/support-levels.v2.json';
import { contract, licence, moscow, world } from './fixtures';

const v2 = catalogueByVersion(PUBLISHED_CATALOGUES, 'support-levels.v2')!;
const LEGACY = { pauses: { waiting_on_customer: ['resolution'], waiting_on_third_party: [] }, nextReply: null, waitingOnCustomer: { reminderAfterWorkingDays: null, autoResolveAfterWorkingDays: null }, replyAfterResolution: 'reopen' };
/** v2: the legacy behaviour, plus a reminder after 3 working days and resolution after 10 without a reply. */
const SEED = { ...LEGACY, waitingOnCustomer: { reminderAfterWorkingDays: 3, autoResolveAfterWorkingDays: 10 } };
const request = { customerId: 'acme', channel: 'supplier-phone', category: 'defect-report', priority: 'normal' as const, at: moscow('2026-12-02') };

function pinnedWith(catalogue: Catalogue, facts = world({ licenses: [licence('L1', 'kompas', '2026-11-01')] })) {
  const result = admitRequest(catalogue, facts, { ...request, productId: 'kompas' });
  if (!result.ok) throw new Error(result.refusal.message);
  return result.pinned;
}

describe('lifecycle terms', () => {
  it('v2 keeps the seed levels’ behaviour (waiting on the customer pauses resolution, a reply reopens); a third party pauses nothing; pinned', () => {
    for (const level of Object.values(v2.levels)) expect(level.lifecycle).toEqual(SEED);
    expect(pinnedWith(v2).lifecycle).toEqual(SEED);
  });

  it('a level may override the defaults; an inheriting level takes its parent’s', () => {
    const doc = { ...supportLevelsV2, catalogueVersion: 'test-v3', lifecycleTerms: { defaults: SEED, levels: { warranty: { replyAfterResolution: 'notify-assignee' } } } };
    const c = parseCatalogue(doc);
    expect(c.levels.warranty.lifecycle.replyAfterResolution).toBe('notify-assignee');
    expect(c.levels.pilot.lifecycle.replyAfterResolution).toBe('notify-assignee');
    expect(c.levels.basic.lifecycle.replyAfterResolution).toBe('reopen');
    expect(pinnedWith(c).lifecycle).toEqual({ ...SEED, replyAfterResolution: 'notify-assignee' });
  });

  it('a contract sets its own term over the catalogue', () => {
    const facts = world({ contracts: [contract({ sla: { channels: ['supplier-phone'], services: ['defect-report'], lifecycle: { replyAfterResolution: 'notify-assignee', pauses: { waiting_on_customer: ['resolution'], waiting_on_third_party: ['resolution'] }, nextReply: { byPriority: { critical: { workingHours: 1 }, high: { workingHours: 2 }, normal: { workingHours: 4 }, low: null } } } } })] });
    const pinned = pinnedWith(v2, facts);
    expect(pinned.level).toBe('individual');
    expect(pinned.lifecycle).toEqual({
      waitingOnCustomer: SEED.waitingOnCustomer,
      replyAfterResolution: 'notify-assignee',
      pauses: { waiting_on_customer: ['resolution'], waiting_on_third_party: ['resolution'] },
      nextReply: { byPriority: { critical: { workingHours: 1 }, high: { workingHours: 2 }, normal: { workingHours: 4 }, low: null } },
    });
    expect(nextReplyTargetMs(pinned.lifecycle!.nextReply!, 'high')).toBe(2 * 3_600_000);
    expect(nextReplyTargetMs(pinned.lifecycle!.nextReply!, 'low')).toBeNull();
    expect(nextReplyTargetMs(null, 'high')).toBeNull();
  });

  it('an unknown term value is refused with its path', () => {
    const doc = { ...supportLevelsV2, lifecycleTerms: { defaults: { ...SEED, replyAfterResolution: 'ignore' } } };
    expect(() => parseCatalogue(doc)).toThrow(/lifecycleTerms\.defaults\.replyAfterResolution/);
    const twice = { ...supportLevelsV2, lifecycleTerms: { defaults: { ...SEED, pauses: { waiting_on_customer: ['resolution', 'resolution'], waiting_on_third_party: [] } } } };
    expect(() => parseCatalogue(twice)).toThrow(/waiting_on_customer/);
    const backwards = { ...supportLevelsV2, lifecycleTerms: { defaults: { ...SEED, waitingOnCustomer: { reminderAfterWorkingDays: 5, autoResolveAfterWorkingDays: 5 } } } };
    expect(() => parseCatalogue(backwards)).toThrow(/reminder must come before/);
  });

  it('a policy pinned before the terms existed reopens on a reply, as it did then', () => {
    const { lifecycle: _none, ...old } = pinnedWith(PUBLISHED_CATALOGUES[0]!);
    expect(lifecycleTermsOf(old)).toEqual(LEGACY);
  });
});
