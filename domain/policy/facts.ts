/**
 * Facts: what the policy needs to know about products, customers and their agreements.
 * Zod schemas double as the API's validators; the types are inferred from them.
 *
 * Conventions:
 * - Dates are local calendar dates `YYYY-MM-DD` on the supplier's zone (Europe/Moscow), and
 *   date intervals are inclusive at both ends: a contract `from 2026-01-01 to 2026-12-31`
 *   covers the whole of 31 December in Moscow.
 * - Instants (e.g. the admission time) are epoch milliseconds.
 * - Objects are strict: an unknown key is an error, so a typo cannot silently drop a term.
 */
import { z } from 'zod';
import { LifecycleTermsOverrideSchema } from './lifecycle-terms';
import { describeIssues, FactsError } from './errors';
import { LocalDateSchema, type LocalDate } from './local-date';
import { TargetPairSchema } from './targets';
import { RecordIdSchema, VocabularyIdSchema } from './vocabulary';

export const ProductSchema = z
  .strictObject({
    id: RecordIdSchema,
    name: z.string().min(1),
    kind: z.enum(['free', 'commercial']).describe('"free": freely distributed (a viewer, an LT edition); such products get initial support only.'),
    supportWithdrawnFrom: LocalDateSchema.optional().describe('First day on which the product is no longer supported (ends basic support; warranty already granted runs on).'),
  })
  .describe('A software product.');
export type Product = z.infer<typeof ProductSchema>;

export const SalesOfficeSchema = z
  .strictObject({
    id: RecordIdSchema,
    name: z.string().min(1),
    operator: z.enum(['supplier', 'partner']).describe("The supplier's own sales office, or a partner's."),
    calendarId: z.string().min(1).describe('The calendar of the office\'s own working schedule, e.g. "office-spb".'),
  })
  .describe('A sales office or partner that gives initial support on its own schedule.');
export type SalesOffice = z.infer<typeof SalesOfficeSchema>;

export const ContactSchema = z.strictObject({
  name: z.string().min(1),
  role: z.string().min(1).optional(),
  // The pattern zod checks, stated in the document (`format: email` alone allows more).
  email: z.email().meta({ pattern: z.regexes.email.source }).optional(),
  phone: z.string().min(1).optional(),
});
export type Contact = z.infer<typeof ContactSchema>;

export const RepresentativeSchema = ContactSchema.extend({ id: RecordIdSchema }).describe('A person allowed to raise requests for the customer.');
export type Representative = z.infer<typeof RepresentativeSchema>;

export const CustomerSchema = z.strictObject({
  id: RecordIdSchema,
  name: z.string().min(1),
  officeId: RecordIdSchema.optional().describe('The sales office that serves the customer; the default office for initial-level requests.'),
  representatives: z.array(RepresentativeSchema).default([]),
});
export type Customer = z.infer<typeof CustomerSchema>;

export const LicenseSchema = z.strictObject({
  id: RecordIdSchema,
  customerId: RecordIdSchema,
  productId: RecordIdSchema,
  purchasedOn: LocalDateSchema.describe('Day of purchase; the licence is valid from this day and starts a warranty year.'),
  validThrough: LocalDateSchema.optional().describe('Last valid day of a term licence, not before purchasedOn (400 naming validThrough otherwise); absent for a perpetual licence.'),
});
export type License = z.infer<typeof LicenseSchema>;

export const UpdatePackagePurchaseSchema = z
  .strictObject({
    id: RecordIdSchema,
    customerId: RecordIdSchema,
    productId: RecordIdSchema,
    purchasedOn: LocalDateSchema,
  })
  .describe('An update package bought for a licensed product; starts a new warranty year.');
export type UpdatePackagePurchase = z.infer<typeof UpdatePackagePurchaseSchema>;

export const PilotPeriodSchema = z
  .strictObject({
    id: RecordIdSchema,
    customerId: RecordIdSchema,
    productIds: z.array(RecordIdSchema).min(1),
    from: LocalDateSchema,
    to: LocalDateSchema.describe('Last day of the pilot, inclusive; not before `from` (400 naming to otherwise).'),
  })
  .describe('A pilot (trial) operation period, supported on warranty terms.');
export type PilotPeriod = z.infer<typeof PilotPeriodSchema>;

export const QUOTA_PERIODS = ['month', 'quarter', 'year', 'term'] as const;
export type QuotaPeriodKind = (typeof QUOTA_PERIODS)[number];

export const ContractQuotaSchema = z
  .strictObject({
    maxRequests: z.number().int().min(1),
    per: z.enum(QUOTA_PERIODS).describe('Calendar month/quarter/year (Moscow) clipped to the contract period, or the whole term.'),
  })
  .describe('At most maxRequests requests per period under this contract.');
export type ContractQuota = z.infer<typeof ContractQuotaSchema>;

export const ContractTargetsSchema = z.discriminatedUnion('kind', [
  TargetPairSchema.extend({ kind: z.literal('single') }).describe('The same targets whatever the priority.'),
  z
    // Spelled out (not z.record over the enum) so the document marks all four required.
    .strictObject({ kind: z.literal('per-priority'), byPriority: z.strictObject({ critical: TargetPairSchema, high: TargetPairSchema, normal: TargetPairSchema, low: TargetPairSchema }) })
    .describe('Targets for every priority (critical, high, normal, low); all four are required.'),
]);
export type ContractTargets = z.infer<typeof ContractTargetsSchema>;

export const ContractSlaSchema = z.strictObject({
  calendarId: z.string().min(1),
  targets: ContractTargetsSchema,
  channels: z.array(VocabularyIdSchema).min(1).describe('Catalogue channel ids, e.g. "messenger", "remote-access".'),
  services: z.array(VocabularyIdSchema).min(1).describe('Catalogue service ids (request categories).'),
  dedicatedEngineer: ContactSchema.optional(),
  escalationContacts: z.array(ContactSchema).default([]),
  quota: ContractQuotaSchema.optional().describe('Absent: no limit on requests.'),
  whoMayAsk: z
    .enum(['anyone', 'representatives'])
    .optional()
    .describe('"representatives": only the customer\'s registered representatives may raise requests under the contract (reporter must name one by id or e-mail). Absent: anyone (catalogue v2 and later).'),
  lifecycle: LifecycleTermsOverrideSchema.optional().describe("Overrides the catalogue's lifecycle terms for requests under this contract."),
});
export type ContractSla = z.infer<typeof ContractSlaSchema>;

export const IndividualContractSchema = z.strictObject({
  id: RecordIdSchema,
  customerId: RecordIdSchema,
  counterparty: z.strictObject({
    kind: z.enum(['regional-office', 'dealer', 'central-service']),
    name: z.string().min(1),
  }),
  from: LocalDateSchema,
  to: LocalDateSchema.describe('Last day of the contract, inclusive; not before `from` (400 naming to otherwise).'),
  productIds: z.array(RecordIdSchema).min(1).optional().describe('Products covered; absent = every product of the customer, and requests naming no product.'),
  sla: ContractSlaSchema,
});
export type IndividualContract = z.infer<typeof IndividualContractSchema>;

const PolicyFactsShape = z.strictObject({
  products: z.array(ProductSchema).default([]),
  salesOffices: z.array(SalesOfficeSchema).default([]),
  customers: z.array(CustomerSchema).default([]),
  licenses: z.array(LicenseSchema).default([]),
  updatePackages: z.array(UpdatePackagePurchaseSchema).default([]),
  pilots: z.array(PilotPeriodSchema).default([]),
  contracts: z.array(IndividualContractSchema).default([]),
});

/** Cross-reference and interval checks; paths name the offending record. */
function checkReferences(f: z.infer<typeof PolicyFactsShape>, ctx: z.RefinementCtx): void {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const index = <T extends { id: string }>(key: keyof typeof f, rows: readonly T[]) => {
    const ids = new Set<string>();
    rows.forEach((r, i) => {
      if (ids.has(r.id)) issue([key, i, 'id'], `duplicate id "${r.id}"`);
      ids.add(r.id);
    });
    return ids;
  };
  const products = index('products', f.products);
  const offices = index('salesOffices', f.salesOffices);
  const customers = index('customers', f.customers);
  index('licenses', f.licenses);
  index('updatePackages', f.updatePackages);
  index('pilots', f.pilots);
  index('contracts', f.contracts);

  const ref = (path: PropertyKey[], known: Set<string>, id: string, what: string) => {
    if (!known.has(id)) issue(path, `unknown ${what} "${id}"`);
  };
  const ordered = (path: PropertyKey[], from: LocalDate, to: LocalDate) => {
    if (to < from) issue(path, `${to} is before ${from}`);
  };
  f.customers.forEach((c, i) => c.officeId !== undefined && ref(['customers', i, 'officeId'], offices, c.officeId, 'sales office'));
  for (const key of ['licenses', 'updatePackages'] as const)
    f[key].forEach((r, i) => {
      ref([key, i, 'customerId'], customers, r.customerId, 'customer');
      ref([key, i, 'productId'], products, r.productId, 'product');
    });
  f.licenses.forEach((l, i) => l.validThrough !== undefined && ordered(['licenses', i, 'validThrough'], l.purchasedOn, l.validThrough));
  f.pilots.forEach((p, i) => {
    ref(['pilots', i, 'customerId'], customers, p.customerId, 'customer');
    p.productIds.forEach((id, j) => ref(['pilots', i, 'productIds', j], products, id, 'product'));
    ordered(['pilots', i, 'to'], p.from, p.to);
  });
  f.contracts.forEach((c, i) => {
    ref(['contracts', i, 'customerId'], customers, c.customerId, 'customer');
    c.productIds?.forEach((id, j) => ref(['contracts', i, 'productIds', j], products, id, 'product'));
    ordered(['contracts', i, 'to'], c.from, c.to);
  });
}

export const PolicyFactsSchema = PolicyFactsShape.superRefine(checkReferences).describe(
  'Everything the policy knows: products, sales offices, customers, licences, update packages, pilots and contracts.',
);
export type PolicyFacts = z.infer<typeof PolicyFactsSchema>;
/** Facts as written before defaults are applied (every list may be omitted). */
export type PolicyFactsInput = z.input<typeof PolicyFactsSchema>;

/**
 * Validates facts and applies defaults; throws {@link FactsError} listing every problem.
 *
 * @example parseFacts({ products: [{ id: 'viewer', name: 'Viewer', kind: 'free' }] }).customers // []
 */
export function parseFacts(raw: unknown): PolicyFacts {
  const parsed = PolicyFactsSchema.safeParse(raw);
  if (!parsed.success) throw new FactsError(describeIssues(parsed.error.issues));
  return parsed.data;
}
