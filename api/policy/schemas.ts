/**
 * Bodies and queries of the policy resources. Bodies ARE the domain schemas
 * (`domain/policy/facts.ts`), so the API accepts exactly what the policy can use; nested
 * routes take the parent id from the path and accept it in the body only when it matches.
 */
import { z } from 'zod';
import {
  CustomerSchema,
  IndividualContractSchema,
  LicenseSchema,
  LocalDateSchema,
  PilotPeriodSchema,
  PrioritySchema,
  ProductSchema,
  RecordIdSchema,
  RepresentativeSchema,
  SalesOfficeSchema,
  UpdatePackagePurchaseSchema,
} from '../../domain/policy';
import { pageQueryShape } from './http';

export const productBody = ProductSchema;
export const officeBody = SalesOfficeSchema;
export const customerBody = CustomerSchema;
export const representativeBody = RepresentativeSchema;
export const contractBody = IndividualContractSchema;

/** Under /customers/:customerId the body's customerId is optional and must match the path. */
const optionalCustomer = { customerId: RecordIdSchema.optional().describe("Optional here: taken from the path; when given, customerId must equal the path's (400 naming customerId otherwise).") };
export const licenseBody = LicenseSchema.extend(optionalCustomer);
export const updatePurchaseBody = UpdatePackagePurchaseSchema.extend(optionalCustomer);
export const pilotBody = PilotPeriodSchema.extend(optionalCustomer);

export const productsQuery = z.strictObject({ ...pageQueryShape, kind: ProductSchema.shape.kind.optional() });
export const officesQuery = z.strictObject({ ...pageQueryShape, operator: SalesOfficeSchema.shape.operator.optional(), calendarId: z.string().min(1).optional() });
export const customersQuery = z.strictObject({ ...pageQueryShape, officeId: RecordIdSchema.optional() });
export const pageQuery = z.strictObject(pageQueryShape);
export const holdingsQuery = z.strictObject({ ...pageQueryShape, productId: RecordIdSchema.optional() });
export const pilotsQuery = z.strictObject({ ...pageQueryShape, productId: RecordIdSchema.optional(), activeOn: LocalDateSchema.optional() });
export const contractsQuery = z.strictObject({
  ...pageQueryShape,
  customerId: RecordIdSchema.optional(),
  activeOn: LocalDateSchema.optional(),
  counterpartyKind: IndividualContractSchema.shape.counterparty.shape.kind.optional(),
});

/** An instant with an explicit offset, e.g. `2026-06-01T12:00:00+03:00`; becomes epoch ms. */
export const instantQuery = z.iso
  .datetime({ offset: true, message: 'expected an ISO 8601 date-time with an offset, e.g. 2026-06-01T12:00:00+03:00' })
  .transform((s) => Date.parse(s));

/** GET /v1/customers/:customerId/entitlement */
export const entitlementQuery = z.strictObject({
  at: instantQuery.optional().describe('The instant to judge at; default now.'),
  productId: RecordIdSchema.optional(),
  channel: z.string().min(1).optional().describe('With category: also preview admission of a request through this channel. Give both or neither (400 naming the missing one).'),
  category: z.string().min(1).optional().describe('With channel: the service asked for. Give both or neither (400 naming the missing one).'),
  priority: PrioritySchema.optional().describe('Priority of the previewed request; default normal.'),
  officeId: RecordIdSchema.optional().describe('Sales office for an initial-level request; default the customer\'s office.'),
  reporter: z.string().min(1).max(320).optional().describe("Who would ask (a representative's id or e-mail): checked where the level lets only registered representatives ask."),
});

/** GET /v1/catalogue */
export const catalogueQuery = z.strictObject({
  at: instantQuery.optional().describe('The catalogue in force at this instant; default now.'),
  version: z.string().min(1).optional().describe('A published catalogue version instead, e.g. "support-levels.v1".'),
});
