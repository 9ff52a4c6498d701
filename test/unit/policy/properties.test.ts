import fc from 'fast-check';
import {
  admitRequest,
  entitlementsAt,
  LEVEL_PRECEDENCE,
  PinnedPolicySchema,
  PRIORITIES,
  REFUSAL_RULES,
  type LevelId,
} from '../../../domain/policy';
import { catalogue, contract, licence, pilot, updatePackage, world } from './fixtures';

const facts = world({
  customers: [{ id: 'beta', name: 'Beta', officeId: 'ekb' }],
  licenses: [licence('L1', 'kompas', '2024-02-29'), licence('L2', 'vertical', '2026-03-01'), licence('L3', 'viewer', '2025-01-01', undefined, 'beta')],
  updatePackages: [updatePackage('U1', 'kompas', '2026-03-01')],
  pilots: [pilot('P1', ['legacy'], '2025-06-01', '2025-12-31', 'beta')],
  contracts: [contract({ from: '2025-01-01', to: '2025-12-31', productIds: ['kompas'] })],
});

const instant = fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2028, 0, 1) });
const customer = fc.constantFrom(undefined, 'acme', 'beta', 'nobody');
const product = fc.constantFrom(undefined, 'kompas', 'vertical', 'legacy', 'viewer');

describe('properties over random requests', () => {
  it('entitlements are ordered by precedence and always end with initial', () => {
    fc.assert(
      fc.property(instant, customer, product, (at, customerId, productId) => {
        const levels = entitlementsAt(facts, { ...(customerId && { customerId }), ...(productId && { productId }), at }).map((e) => e.level);
        expect(levels[levels.length - 1]).toBe('initial');
        const ranks = levels.map((l: LevelId) => LEVEL_PRECEDENCE.indexOf(l));
        expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
      }),
    );
  });

  it('admission either pins a valid policy that offers the channel and category, or refuses by a known rule', () => {
    fc.assert(
      fc.property(
        instant,
        customer,
        product,
        fc.constantFrom(...catalogue.channels.map((c) => c.id)),
        fc.constantFrom(...catalogue.services.map((s) => s.id)),
        fc.constantFrom(...PRIORITIES),
        fc.constantFrom(undefined, 'spb'),
        (at, customerId, productId, channel, category, priority, officeId) => {
          const result = admitRequest(catalogue, facts, {
            ...(customerId && { customerId }),
            ...(productId && { productId }),
            ...(officeId && { officeId }),
            channel,
            category,
            priority,
            at,
          });
          if (result.ok) {
            expect(PinnedPolicySchema.safeParse(result.pinned).success).toBe(true);
            expect(result.pinned.channels).toContain(channel);
            expect(result.pinned.services).toContain(category);
            expect(result.pinned.reasons[0]).toBe(result.entitlement.reason);
          } else {
            expect(REFUSAL_RULES).toContain(result.refusal.rule);
            expect(result.refusal.allowed.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
