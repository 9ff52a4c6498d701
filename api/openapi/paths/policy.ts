import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import { RecordIdSchema } from '../../../domain/policy';
import {
  catalogueQuery,
  contractBody,
  contractsQuery,
  customerBody,
  customersQuery,
  entitlementQuery,
  holdingsQuery,
  licenseBody,
  officeBody,
  officesQuery,
  pageQuery,
  pilotBody,
  pilotsQuery,
  productBody,
  productsQuery,
  representativeBody,
  updatePurchaseBody,
} from '../../policy/schemas';
import { jsonResponse, named, pageResponse } from '../components';
import { defineOperation } from '../define';

/**
 * A create-once collection: POST (201 new, 200 same again, 409 different), GET list, GET one
 * (`answerCreate` in `api/policy/http.ts`).
 */
function collection(
  registry: OpenAPIRegistry,
  c: { tag: string; base: string; parent?: Record<string, z.ZodType>; idParam: string; what: string; body: z.ZodType; bodyName: string; query: z.ZodObject; createErrors?: number[] },
): void {
  const nested = c.parent !== undefined;
  const notFound = nested ? [404] : [];
  defineOperation(registry, {
    method: 'post',
    path: c.base,
    tag: c.tag,
    summary: `Create a ${c.what}`,
    description: `Create-once: 201 with Location for a new ${c.what}; the same body again is 200; another body under the same id is 409 naming the differing fields.`,
    ...(c.parent && { params: c.parent }),
    body: named(registry, c.bodyName, c.body),
    responses: { 201: jsonResponse(`The ${c.what}, created`), 200: jsonResponse(`The ${c.what}, already there with the same values`) },
    errors: [...notFound, 409, ...(c.createErrors ?? [])],
  });
  defineOperation(registry, {
    method: 'get',
    path: c.base,
    tag: c.tag,
    summary: `List ${c.what} records`,
    ...(c.parent && { params: c.parent }),
    query: c.query,
    responses: { 200: pageResponse(`A page of ${c.what} records`) },
    errors: notFound,
  });
  defineOperation(registry, {
    method: 'get',
    path: `${c.base}/{${c.idParam}}`,
    tag: c.tag,
    summary: `A ${c.what}`,
    params: { ...c.parent, [c.idParam]: RecordIdSchema },
    responses: { 200: jsonResponse(`The ${c.what}`) },
    errors: [404],
  });
}

/** /v1/catalogue, products, offices, customers and what they hold, contracts (`api/policy/*.router.ts`). */
export function registerPolicyPaths(registry: OpenAPIRegistry): void {
  defineOperation(registry, {
    method: 'get',
    path: '/v1/catalogue',
    tag: 'Catalogue',
    summary: 'The support-level catalogue in force',
    description: 'Levels with their targets, calendars, channels and services, and the wording of each channel and service.',
    query: catalogueQuery,
    responses: { 200: jsonResponse('The catalogue') },
    errors: [404],
  });
  collection(registry, { tag: 'Products', base: '/v1/products', idParam: 'productId', what: 'product', body: productBody, bodyName: 'Product', query: productsQuery });
  collection(registry, { tag: 'Sales offices', base: '/v1/offices', idParam: 'officeId', what: 'sales office', body: officeBody, bodyName: 'SalesOffice', query: officesQuery, createErrors: [422] });
  collection(registry, {
    tag: 'Customers',
    base: '/v1/customers',
    idParam: 'customerId',
    what: 'customer',
    body: customerBody,
    bodyName: 'Customer',
    query: customersQuery,
    createErrors: [422],
  });
  const parent = { customerId: RecordIdSchema };
  const nested = (base: string, idParam: string, what: string, body: z.ZodType, bodyName: string, query: z.ZodObject) =>
    collection(registry, { tag: 'Customers', base: `/v1/customers/{customerId}/${base}`, parent, idParam, what, body, bodyName, query, createErrors: [422] });
  nested('representatives', 'representativeId', 'representative', representativeBody, 'Representative', pageQuery);
  nested('licenses', 'licenseId', 'licence', licenseBody, 'License', holdingsQuery);
  nested('update-purchases', 'purchaseId', 'update-package purchase', updatePurchaseBody, 'UpdatePurchase', holdingsQuery);
  nested('pilots', 'pilotId', 'pilot', pilotBody, 'Pilot', pilotsQuery);
  defineOperation(registry, {
    method: 'get',
    path: '/v1/customers/{customerId}/entitlement',
    tag: 'Customers',
    summary: "The customer's entitlement, and a preview of admission",
    description:
      'Every level the customer holds at the instant, strongest first. With `channel` and `category` it also previews admission: ' +
      'the level a request would get and the policy it would pin, or the refusal as a 422 with `rule` and `allowed`. Writes nothing.',
    params: parent,
    query: entitlementQuery,
    responses: { 200: jsonResponse('Levels held and, with channel and category, the admission preview') },
    errors: [404, 422],
  });
  collection(registry, {
    tag: 'Contracts',
    base: '/v1/contracts',
    idParam: 'contractId',
    what: 'contract',
    body: contractBody,
    bodyName: 'IndividualContract',
    query: contractsQuery,
    createErrors: [422],
  });
}
