/**
 * The policy facts over HTTP: products, sales offices, customers (with representatives,
 * licences, update purchases, pilots), contracts, the catalogue in force and a customer's
 * entitlement preview. Mounted under /v1 by `api/app.ts`.
 */
import { Router } from 'express';
import type { Knex } from 'knex';
import { catalogueRouter } from './catalogue.router';
import { contractsRouter } from './contracts.router';
import { customersRouter } from './customers.router';
import { entitlementRouter } from './entitlement.router';
import { officesRouter } from './offices.router';
import { productsRouter } from './products.router';

export { admitRegistration, contractQuotaUsage, type RegistrationAdmissionInput } from '../../services/registration/admission';
export { refusalProblem, RefusalProblem } from './http';

export function policyRouters(db: Knex): Router {
  const router = Router();
  router.use(catalogueRouter());
  router.use(productsRouter(db));
  router.use(officesRouter(db));
  router.use(customersRouter(db));
  router.use(entitlementRouter(db));
  router.use(contractsRouter(db));
  return router;
}
