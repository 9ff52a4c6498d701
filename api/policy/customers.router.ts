import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import {
  createCustomer,
  createLicense,
  createPilot,
  createRepresentative,
  createUpdatePurchase,
  customerExists,
  getCustomer,
  getLicense,
  getPilot,
  getRepresentative,
  getUpdatePurchase,
  listCustomers,
  listLicenses,
  listPilots,
  listRepresentatives,
  listUpdatePurchases,
} from '../../db/queries/policy';
import { NotFoundProblem, type FieldError } from '../problems';
import { configWriter, staffReader } from '../auth/authorize';
import { customerScopeOf } from '../auth/principal';
import { parseBody } from '../validate';
import { answerCreate, enc, found, noDuplicates, orderedDates, parseQuery, pathId, requireValid, sendPage } from './http';
import {
  customerBody,
  customersQuery,
  holdingsQuery,
  licenseBody,
  pageQuery,
  pilotBody,
  pilotsQuery,
  representativeBody,
  updatePurchaseBody,
} from './schemas';

/** The body's customerId, when given, must be the one in the path. */
function sameCustomer(given: string | undefined, customerId: string): FieldError[] {
  return given === undefined || given === customerId ? [] : [{ field: 'customerId', rule: 'mismatch', message: `must be "${customerId}" (the customer in the path) or absent` }];
}

/**
 * /v1/customers and what each customer has: representatives, licences, update purchases and
 * pilots, created and read under /v1/customers/:customerId/...
 */
export function customersRouter(db: Knex): Router {
  const router = Router();

  /** The path's customer; 404 when unknown. */
  const pathCustomer = async (req: Request): Promise<string> => {
    const customerId = pathId(req, 'customerId');
    if (!(await customerExists(db, customerId))) throw new NotFoundProblem(`customer "${customerId}"`);
    return customerId;
  };
  const base = (req: Request, customerId: string) => `${req.baseUrl}/customers/${enc(customerId)}`;
  /** A nested record of another customer is not found under this one. */
  const ofCustomer = <T extends { customerId: string }>(record: T | undefined, customerId: string) => (record?.customerId === customerId ? record : undefined);

  // Customers --------------------------------------------------------------------------------

  router.post('/customers', ...configWriter, async (req, res) => {
    const customer = parseBody(req, customerBody);
    requireValid(noDuplicates(customer.representatives.map((r) => r.id), 'representatives').map((e) => ({ ...e, field: `${e.field}.id` })));
    answerCreate(res, await createCustomer(db, customer), `customer "${customer.id}"`, base(req, customer.id));
  });

  router.get('/customers', ...staffReader, async (req, res) => {
    const { officeId, ...page } = parseQuery(req, customersQuery);
    const scope = customerScopeOf(req);
    if (scope !== null) {
      // A scoped key's list holds its own customer at most.
      const own = await getCustomer(db, scope);
      const listed = own !== undefined && (officeId === undefined || own.officeId === officeId) && (page.after === undefined || own.id > page.after);
      sendPage(res, { items: listed ? [own] : [] });
      return;
    }
    sendPage(res, await listCustomers(db, { ...(officeId && { officeId }) }, page));
  });

  router.get('/customers/:customerId', ...staffReader, async (req, res) => {
    const id = pathId(req, 'customerId');
    res.json(found(await getCustomer(db, id), `customer "${id}"`));
  });

  // Representatives --------------------------------------------------------------------------

  router.post('/customers/:customerId/representatives', ...configWriter, async (req, res) => {
    const customerId = pathId(req, 'customerId');
    const rep = parseBody(req, representativeBody);
    await pathCustomer(req);
    answerCreate(res, await createRepresentative(db, customerId, rep), `representative "${rep.id}"`, `${base(req, customerId)}/representatives/${enc(rep.id)}`);
  });

  router.get('/customers/:customerId/representatives', ...staffReader, async (req, res) => {
    const page = parseQuery(req, pageQuery);
    const customerId = await pathCustomer(req);
    sendPage(res, await listRepresentatives(db, customerId, page));
  });

  router.get('/customers/:customerId/representatives/:representativeId', ...staffReader, async (req, res) => {
    const customerId = pathId(req, 'customerId');
    const id = pathId(req, 'representativeId');
    res.json(found(await getRepresentative(db, customerId, id), `representative "${id}" of customer "${customerId}"`));
  });

  // Licences ---------------------------------------------------------------------------------

  router.post('/customers/:customerId/licenses', ...configWriter, async (req, res) => {
    const customerId = pathId(req, 'customerId');
    const body = parseBody(req, licenseBody);
    requireValid([...sameCustomer(body.customerId, customerId), ...orderedDates(body.purchasedOn, body.validThrough, 'validThrough')]);
    await pathCustomer(req);
    const license = { ...body, customerId };
    answerCreate(res, await createLicense(db, license), `licence "${license.id}"`, `${base(req, customerId)}/licenses/${enc(license.id)}`);
  });

  router.get('/customers/:customerId/licenses', ...staffReader, async (req, res) => {
    const { productId, ...page } = parseQuery(req, holdingsQuery);
    const customerId = await pathCustomer(req);
    sendPage(res, await listLicenses(db, { customerId, ...(productId && { productId }) }, page));
  });

  router.get('/customers/:customerId/licenses/:licenseId', ...staffReader, async (req, res) => {
    const customerId = pathId(req, 'customerId');
    const id = pathId(req, 'licenseId');
    res.json(found(ofCustomer(await getLicense(db, id), customerId), `licence "${id}" of customer "${customerId}"`));
  });

  // Update-package purchases -----------------------------------------------------------------

  router.post('/customers/:customerId/update-purchases', ...configWriter, async (req, res) => {
    const customerId = pathId(req, 'customerId');
    const body = parseBody(req, updatePurchaseBody);
    requireValid(sameCustomer(body.customerId, customerId));
    await pathCustomer(req);
    const purchase = { ...body, customerId };
    answerCreate(res, await createUpdatePurchase(db, purchase), `update purchase "${purchase.id}"`, `${base(req, customerId)}/update-purchases/${enc(purchase.id)}`);
  });

  router.get('/customers/:customerId/update-purchases', ...staffReader, async (req, res) => {
    const { productId, ...page } = parseQuery(req, holdingsQuery);
    const customerId = await pathCustomer(req);
    sendPage(res, await listUpdatePurchases(db, { customerId, ...(productId && { productId }) }, page));
  });

  router.get('/customers/:customerId/update-purchases/:purchaseId', ...staffReader, async (req, res) => {
    const customerId = pathId(req, 'customerId');
    const id = pathId(req, 'purchaseId');
    res.json(found(ofCustomer(await getUpdatePurchase(db, id), customerId), `update purchase "${id}" of customer "${customerId}"`));
  });

  // Pilots -----------------------------------------------------------------------------------

  router.post('/customers/:customerId/pilots', ...configWriter, async (req, res) => {
    const customerId = pathId(req, 'customerId');
    const body = parseBody(req, pilotBody);
    requireValid([...sameCustomer(body.customerId, customerId), ...noDuplicates(body.productIds, 'productIds'), ...orderedDates(body.from, body.to, 'to')]);
    await pathCustomer(req);
    const pilot = { ...body, customerId };
    answerCreate(res, await createPilot(db, pilot), `pilot "${pilot.id}"`, `${base(req, customerId)}/pilots/${enc(pilot.id)}`);
  });

  router.get('/customers/:customerId/pilots', ...staffReader, async (req, res) => {
    const { productId, activeOn, ...page } = parseQuery(req, pilotsQuery);
    const customerId = await pathCustomer(req);
    sendPage(res, await listPilots(db, { customerId, ...(productId && { productId }), ...(activeOn && { activeOn }) }, page));
  });

  router.get('/customers/:customerId/pilots/:pilotId', ...staffReader, async (req, res) => {
    const customerId = pathId(req, 'customerId');
    const id = pathId(req, 'pilotId');
    res.json(found(ofCustomer(await getPilot(db, id), customerId), `pilot "${id}" of customer "${customerId}"`));
  });

  return router;
}
