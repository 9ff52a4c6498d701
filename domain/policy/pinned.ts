/**
 * The pinned policy: the terms a request is registered under, copied into the request so that
 * later changes of contracts, facts or catalogue affect new requests only.
 *
 * It is plain JSON (no Dates, no undefined values, no functions) and self-contained: the SLA
 * clocks need nothing else, except the calendar itself, which the caller resolves by
 * `calendar.id` and records as `calendarVersionId`.
 */
import { z } from 'zod';
import type { Catalogue } from './catalogue';
import { ContactSchema, type Contact, type SalesOffice } from './facts';
import { toPinnedTargets, type PinnedTargets } from './targets';
import { NOT_GRANTED_CODES, type NotGranted } from './not-granted';
import { LifecycleTermsOverrideSchema, type LifecycleTerms } from './lifecycle-terms';
import { targetsForPriority, type ServiceTerms } from './terms';
import type { PinnedReporter, ReporterRule } from './who-may-ask';
import {
  EpochMsSchema,
  LevelIdSchema,
  LocalizedTextSchema,
  MS_PER_WORKING_HOUR,
  PRIORITIES,
  PrioritySchema,
  RecordIdSchema,
  VocabularyIdSchema,
  type EpochMs,
  type LevelId,
  type LocalizedText,
  type Priority,
} from './vocabulary';

/** Bump when the shape changes, so stored policies can be migrated. */
export const PINNED_POLICY_VERSION = 1;

export interface PinnedEscalationStep {
  /** Working ms after the breach on the pinned calendar; 0 = at the breach. */
  afterBreachWorkingMs: number;
  /** Symbolic recipient roles (catalogue `recipients`), resolved to people by the notifier. */
  notify: string[];
}

export interface PinnedPolicy {
  pinnedPolicyVersion: typeof PINNED_POLICY_VERSION;
  level: LevelId;
  levelName: LocalizedText;
  catalogueVersion: string;
  /** The contract an individual-level request is served under. */
  contractId?: string;
  customerId?: string;
  productId?: string;
  /** The working calendar of every SLA clock of the request. */
  calendar: { id: string };
  /** Set by the caller once the calendar engine has resolved `calendar.id` to a version. */
  calendarVersionId?: string;
  /** The sales office serving an initial-level request. */
  officeId?: string;
  priority: Priority;
  /** `null`: not regulated — measured and reported, never breached. */
  targets: PinnedTargets;
  /** The contract's targets for every priority, when it has per-priority targets: a priority change re-targets the clocks. */
  targetsByPriority?: Record<Priority, PinnedTargets>;
  /** Fractions of each target at which to warn, increasing, each in (0, 1). The breach is at 1. */
  warnings: number[];
  /** Roles warned at each warning threshold. */
  warningNotify: string[];
  /** Steps after a breach of either target, in increasing order. */
  escalation: PinnedEscalationStep[];
  /** Working days (pinned calendar) after resolution at which the request closes itself. */
  autoCloseWorkingDays: number;
  /** Lifecycle terms (catalogue support-levels.v2 and later, or the contract); absent on older pins: read with `lifecycleTermsOf`. */
  lifecycle?: Partial<LifecycleTerms>;
  notify: { dedicatedEngineer?: Contact; escalationContacts: Contact[] };
  channels: string[];
  services: string[];
  /** Why this level: the granting record first, then why stronger levels were passed over. */
  reasons: string[];
  /** Who may ask under these terms (catalogue v2 and later; absent: anyone). */
  whoMayAsk?: ReporterRule;
  /** The reporter the request was registered by, and the customer's representative it names. */
  reporter?: PinnedReporter;
  /** Why each stronger level that could have served the category was not granted (en and ru). */
  notGranted?: NotGranted[];
  /** The admission instant the policy was pinned at. */
  pinnedAtMs: EpochMs;
}

const WorkingMsTargetSchema = z.strictObject({ workingMs: z.number().int().positive() }).nullable();

/** Re-validates a stored pinned policy (e.g. read back from the database). */
export const PinnedPolicySchema: z.ZodType<PinnedPolicy> = z.strictObject({
  pinnedPolicyVersion: z.literal(PINNED_POLICY_VERSION),
  level: LevelIdSchema,
  levelName: LocalizedTextSchema,
  catalogueVersion: z.string().min(1),
  contractId: RecordIdSchema.optional(),
  customerId: RecordIdSchema.optional(),
  productId: RecordIdSchema.optional(),
  calendar: z.strictObject({ id: z.string().min(1) }),
  calendarVersionId: z.string().min(1).optional(),
  officeId: RecordIdSchema.optional(),
  priority: PrioritySchema,
  targets: z.strictObject({ firstResponse: WorkingMsTargetSchema, resolution: WorkingMsTargetSchema }),
  targetsByPriority: z.record(PrioritySchema, z.strictObject({ firstResponse: WorkingMsTargetSchema, resolution: WorkingMsTargetSchema })).optional(),
  warnings: z.array(z.number().gt(0).lt(1)),
  warningNotify: z.array(VocabularyIdSchema),
  escalation: z.array(z.strictObject({ afterBreachWorkingMs: z.number().int().min(0), notify: z.array(VocabularyIdSchema).min(1) })),
  autoCloseWorkingDays: z.number().int().min(1),
  lifecycle: LifecycleTermsOverrideSchema.optional(),
  notify: z.strictObject({ dedicatedEngineer: ContactSchema.optional(), escalationContacts: z.array(ContactSchema) }),
  channels: z.array(VocabularyIdSchema),
  services: z.array(VocabularyIdSchema),
  reasons: z.array(z.string()).min(1),
  whoMayAsk: z.enum(['anyone', 'representatives']).optional(),
  reporter: z.strictObject({ as: z.string(), representativeId: RecordIdSchema.optional(), name: z.string().optional() }).optional(),
  notGranted: z
    .array(z.strictObject({ level: LevelIdSchema, contractId: RecordIdSchema.optional(), code: z.enum(NOT_GRANTED_CODES), en: z.string(), ru: z.string() }))
    .optional(),
  pinnedAtMs: EpochMsSchema,
});

export interface PinInput {
  catalogue: Catalogue;
  terms: ServiceTerms;
  priority: Priority;
  /** Required when the terms' calendar is the office's (initial level). */
  office?: SalesOffice;
  reasons: readonly string[];
  at: EpochMs;
  reporter?: PinnedReporter;
  notGranted?: readonly NotGranted[];
  customerId?: string;
  productId?: string;
}

/**
 * Freezes service terms into a pinned policy. Usually called by `admitRequest`.
 *
 * @example
 * pinPolicy({ catalogue, terms: warrantyTerms, priority: 'normal', reasons: ['warranty: ...'], at })
 * // { level: 'warranty', calendar: { id: 'supplier' },
 * //   targets: { firstResponse: { workingMs: 28_800_000 }, resolution: { workingMs: 144_000_000 } }, ... }
 */
export function pinPolicy(input: PinInput): PinnedPolicy {
  const { catalogue, terms, office } = input;
  if (terms.calendar.kind === 'office' && !office) throw new RangeError(`level "${terms.level}" runs on an office calendar; pinPolicy needs the office`);
  const calendarId = terms.calendar.kind === 'office' ? office!.calendarId : terms.calendar.calendarId;
  const { dedicatedEngineer, escalationContacts } = terms.notify;
  // Copies, not references: a pinned policy must not change if the facts object later does.
  const pinned: PinnedPolicy = {
    pinnedPolicyVersion: PINNED_POLICY_VERSION,
    level: terms.level,
    levelName: { ...catalogue.levels[terms.level].name },
    catalogueVersion: catalogue.catalogueVersion,
    ...(terms.contract && { contractId: terms.contract.id }),
    ...(input.customerId !== undefined && { customerId: input.customerId }),
    ...(input.productId !== undefined && { productId: input.productId }),
    calendar: { id: calendarId },
    ...(terms.calendar.kind === 'office' && { officeId: office!.id }),
    priority: input.priority,
    targets: toPinnedTargets(targetsForPriority(terms.targets, input.priority)),
    ...(terms.targets.kind === 'per-priority' && {
      targetsByPriority: Object.fromEntries(PRIORITIES.map((p) => [p, toPinnedTargets(targetsForPriority(terms.targets, p))])) as Record<Priority, PinnedTargets>,
    }),
    warnings: [...terms.alerting.warnings],
    warningNotify: [...terms.alerting.warningNotify],
    escalation: terms.alerting.escalation.map((s) => ({
      afterBreachWorkingMs: Math.round(s.afterBreachWorkingHours * MS_PER_WORKING_HOUR),
      notify: [...s.notify],
    })),
    autoCloseWorkingDays: terms.autoCloseWorkingDays,
    lifecycle: structuredClone(terms.lifecycle),
    notify: {
      ...(dedicatedEngineer && { dedicatedEngineer: { ...dedicatedEngineer } }),
      escalationContacts: escalationContacts.map((c) => ({ ...c })),
    },
    channels: [...terms.channels],
    services: [...terms.services],
    reasons: [...input.reasons],
    whoMayAsk: terms.whoMayAsk,
    ...(input.reporter && { reporter: { ...input.reporter } }),
    ...(input.notGranted && input.notGranted.length > 0 && { notGranted: input.notGranted.map((n) => ({ ...n })) }),
    pinnedAtMs: input.at,
  };
  return pinned;
}

/**
 * Records the calendar version the clocks will use; returns a new object.
 *
 * @example withCalendarVersion(pinned, 'supplier@2026-01').calendarVersionId // 'supplier@2026-01'
 */
export function withCalendarVersion(pinned: PinnedPolicy, calendarVersionId: string): PinnedPolicy {
  return { ...pinned, calendarVersionId };
}
