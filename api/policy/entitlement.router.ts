import { Router } from 'express';
import type { Knex } from 'knex';
import {
  catalogueEffectiveAt,
  entitlementsAt,
  localDateAt,
  PUBLISHED_CATALOGUES,
  quotaState,
  termsFor,
  type Catalogue,
  type Entitlement,
  type PolicyFacts,
} from '../../domain/policy';
import { loadPolicyFacts } from '../../db/queries/policy';
import { requireCustomerInScope, requireRole, ROLES } from '../auth/authorize';
import { NotFoundProblem, ValidationProblem } from '../problems';
import { admitWithFacts, contractQuotaUsage, type ContractQuotaUsage } from '../../services/registration/admission';
import { parseQuery, pathId, refusalProblem } from './http';
import { entitlementQuery } from './schemas';

function catalogueAt(at: number): Catalogue {
  try {
    return catalogueEffectiveAt(PUBLISHED_CATALOGUES, at);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new ValidationProblem([{ field: 'query:at', rule: 'no_catalogue', message: `no support-level catalogue is in force on ${localDateAt(at)}` }], 422);
  }
}

/** A level held, with the terms it offers and, for a contract with a quota, how much is used. */
function presentLevel(catalogue: Catalogue, facts: PolicyFacts, e: Entitlement, usage: Record<string, ContractQuotaUsage>) {
  const terms = termsFor(catalogue, facts, e);
  const contractId = terms.contract?.id;
  const used = contractId === undefined ? undefined : usage[contractId];
  const state = terms.quota && used ? quotaState(terms.quota, used.used) : undefined;
  // Initial-level clocks run on the serving office's calendar: show the customer's own office.
  const officeId = facts.customers[0]?.officeId;
  const office = officeId === undefined ? undefined : facts.salesOffices.find((o) => o.id === officeId);
  return {
    level: e.level,
    levelName: catalogue.levels[e.level].name,
    ...(contractId !== undefined && { contractId }),
    products: e.products,
    source: e.source,
    reason: e.reason,
    validity: e.validity,
    calendar: terms.calendar.kind === 'office' && office ? { ...terms.calendar, officeId: office.id, calendarId: office.calendarId } : terms.calendar,
    targets: terms.targets,
    channels: terms.channels,
    services: terms.services,
    ...(terms.quota && used && state && { quota: { ...terms.quota, period: used.period, used: used.used, remaining: state.kind === 'available' ? state.remaining : 0 } }),
  };
}

/**
 * GET /v1/customers/:customerId/entitlement?at=&productId=&channel=&category=&priority=&officeId=
 *
 * Every level the customer holds at the instant (for the product, if named), strongest first,
 * with the reason and validity of each. With `channel` and `category` it also previews
 * admission: the level a request would be served under, why, and the policy it would pin; or
 * the refusal, as a 422 problem with `rule` and `allowed`. Nothing is written.
 */
export function entitlementRouter(db: Knex): Router {
  const router = Router();

  // Intake systems preview admission before registering; a scoped key only for its own customer.
  router.get('/customers/:customerId/entitlement', requireRole(...ROLES), requireCustomerInScope(), async (req, res) => {
    const customerId = pathId(req, 'customerId');
    const query = parseQuery(req, entitlementQuery);
    if ((query.channel === undefined) !== (query.category === undefined)) {
      const missing = query.channel === undefined ? 'channel' : 'category';
      throw new ValidationProblem([{ field: `query:${missing}`, rule: 'required', message: 'channel and category go together: give both to preview admission' }]);
    }
    const at = query.at ?? Date.now();
    const catalogue = catalogueAt(at);
    const facts = await loadPolicyFacts(db, customerId, { productIds: query.productId === undefined ? [] : [query.productId] });
    if (facts.customers.length === 0) throw new NotFoundProblem(`customer "${customerId}"`);
    const usage = await contractQuotaUsage(db, facts, at);

    const preview =
      query.channel !== undefined && query.category !== undefined
        ? admitWithFacts(catalogue, facts, usage, {
            customerId,
            channel: query.channel,
            category: query.category,
            at,
            ...(query.productId !== undefined && { productId: query.productId }),
            ...(query.priority !== undefined && { priority: query.priority }),
            ...(query.officeId !== undefined && { officeId: query.officeId }),
            ...(query.reporter !== undefined && { reporter: query.reporter }),
          })
        : undefined;
    if (preview && !preview.ok) throw refusalProblem(preview.refusal);
    if (query.productId !== undefined && !facts.products.some((p) => p.id === query.productId))
      throw new ValidationProblem([{ field: 'query:productId', rule: 'unknown_reference', message: `unknown product "${query.productId}"` }], 422);

    const held = entitlementsAt(facts, { customerId, at, ...(query.productId !== undefined && { productId: query.productId }) });
    res.json({
      customerId,
      ...(query.productId !== undefined && { productId: query.productId }),
      at: new Date(at).toISOString(),
      date: localDateAt(at),
      catalogueVersion: catalogue.catalogueVersion,
      level: held[0]!.level,
      levels: held.map((e) => presentLevel(catalogue, facts, e, usage)),
      ...(preview?.ok && {
        admission: {
          level: preview.level,
          contractId: preview.pinned.contractId,
          reasons: preview.pinned.reasons,
          notGranted: preview.pinned.notGranted ?? [],
          pinned: preview.pinned,
        },
      }),
    });
  });

  return router;
}
