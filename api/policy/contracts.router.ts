import { Router } from 'express';
import type { Knex } from 'knex';
import { catalogueEffectiveAt, isKnownChannel, isKnownService, PUBLISHED_CATALOGUES, type IndividualContract } from '../../domain/policy';
import { createContract, getContract, listContracts } from '../../db/queries/policy';
import { ValidationProblem, type FieldError } from '../problems';
import { configWriter, staffReader } from '../auth/authorize';
import { canSeeCustomer, customerScopeOf } from '../auth/principal';
import { parseBody } from '../validate';
import { answerCreate, enc, found, noDuplicates, orderedDates, parseQuery, pathId, requireValid, sendPage } from './http';
import { contractBody, contractsQuery } from './schemas';

/**
 * Channels and services a contract names must be in the catalogue in force, or the contract
 * could never serve a request through them (domain `unknownContractTerms`, by field).
 */
function unknownTerms(contract: IndividualContract, at: number): FieldError[] {
  const catalogue = catalogueEffectiveAt(PUBLISHED_CATALOGUES, at);
  const unknown = (ids: readonly string[], field: string, known: (id: string) => boolean, what: string): FieldError[] =>
    ids.flatMap((id, i) => (known(id) ? [] : [{ field: `${field}.${i}`, rule: 'unknown_reference', message: `unknown ${what} "${id}" (not in catalogue ${catalogue.catalogueVersion})` }]));
  return [
    ...unknown(contract.sla.channels, 'sla.channels', (id) => isKnownChannel(catalogue, id), 'channel'),
    ...unknown(contract.sla.services, 'sla.services', (id) => isKnownService(catalogue, id), 'service'),
  ];
}

/** /v1/contracts: individual contracts with their SLA terms (calendar, targets, channels, services, quota). */
export function contractsRouter(db: Knex): Router {
  const router = Router();

  router.post('/contracts', ...configWriter, async (req, res) => {
    const contract = parseBody(req, contractBody);
    requireValid([
      ...orderedDates(contract.from, contract.to, 'to'),
      ...noDuplicates(contract.productIds ?? [], 'productIds'),
      ...noDuplicates(contract.sla.channels, 'sla.channels'),
      ...noDuplicates(contract.sla.services, 'sla.services'),
    ]);
    const unknown = unknownTerms(contract, Date.now());
    if (unknown.length > 0) throw new ValidationProblem(unknown, 422);
    answerCreate(res, await createContract(db, contract), `contract "${contract.id}"`, `${req.baseUrl}/contracts/${enc(contract.id)}`);
  });

  router.get('/contracts', ...staffReader, async (req, res) => {
    const { customerId, activeOn, counterpartyKind, ...page } = parseQuery(req, contractsQuery);
    const scope = customerScopeOf(req);
    // A scoped key lists its own customer's contracts only (asking for another's finds none).
    if (scope !== null && customerId !== undefined && customerId !== scope) return sendPage(res, { items: [] });
    const customer = scope ?? customerId;
    sendPage(res, await listContracts(db, { ...(customer && { customerId: customer }), ...(activeOn && { activeOn }), ...(counterpartyKind && { counterpartyKind }) }, page));
  });

  router.get('/contracts/:contractId', ...staffReader, async (req, res) => {
    const id = pathId(req, 'contractId');
    const contract = await getContract(db, id);
    res.json(found(contract && canSeeCustomer(req, contract.customerId) ? contract : undefined, `contract "${id}"`));
  });

  return router;
}
