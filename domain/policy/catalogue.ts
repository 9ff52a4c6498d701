/**
 * The support-level catalogue: the levels' terms as versioned declarative data
 * (`catalogue/support-levels.v1.json`), its zod schema and the loader that validates it and
 * resolves defaults and inheritance into one flat {@link Catalogue}.
 *
 * A catalogue is immutable once published. A change of terms is a new file with a new
 * `catalogueVersion` and `effectiveFrom`; requests already registered keep the terms pinned
 * into them (see `pinned.ts`).
 */
import { z } from 'zod';
import { PUBLISHED_CATALOGUE_DOCUMENTS } from '../../catalogue';
import { CatalogueError, describeIssues } from './errors';
import { isWithin, localDateAt, LocalDateSchema, type LocalDate } from './local-date';
import { TargetPairSchema, type TargetPair } from './targets';
import { CatalogueLifecycleTermsSchema, levelLifecycleTerms, type LifecycleTerms } from './lifecycle-terms';
import {
  LEVEL_IDS,
  LevelIdSchema,
  LocalizedTextSchema,
  VocabularyIdSchema,
  type EpochMs,
  type LevelId,
  type LocalizedText,
} from './vocabulary';

// ---------------------------------------------------------------------------------------------
// Document schema (what the JSON file may contain)

const IdListSchema = z.array(VocabularyIdSchema).min(1);

/** Where a level's working calendar comes from. The calendar engine resolves ids to calendars. */
export const CalendarRefSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('office') }).describe("The serving sales office's own calendar."),
  z.strictObject({ kind: z.literal('fixed'), calendarId: z.string().min(1) }).describe('One named calendar, e.g. "supplier".'),
  z.strictObject({ kind: z.literal('contract') }).describe("The calendar named in the customer's contract."),
]);
export type CalendarRef = z.infer<typeof CalendarRefSchema>;

const LevelTargetsSchema = z.discriminatedUnion('kind', [
  TargetPairSchema.extend({ kind: z.literal('fixed') }),
  z.strictObject({ kind: z.literal('contract') }),
]);
export type LevelTargets = ({ kind: 'fixed' } & TargetPair) | { kind: 'contract' };

/** A list of channel or service ids, or "per contract" with the source's typical examples. */
const TermListSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), ids: IdListSchema }),
  z.strictObject({ kind: z.literal('contract'), typical: z.array(VocabularyIdSchema) }),
]);
export type TermList = z.infer<typeof TermListSchema>;

/**
 * `unlimited`: the source promises no limit (warranty). `unspecified`: the source says nothing,
 * and nothing is enforced. `contract`: the contract may set a quota.
 */
const LevelQuotaSchema = z.strictObject({ kind: z.enum(['unlimited', 'unspecified', 'contract']) });
export type LevelQuota = z.infer<typeof LevelQuotaSchema>;

/**
 * Who may raise a request under the level: `anyone`, or only the customer's registered
 * representatives (`reporter` must name one), or as the contract says (`sla.whoMayAsk`,
 * default anyone). Absent (catalogue v1): anyone.
 */
export const WhoMayAskSchema = z.enum(['anyone', 'representatives', 'contract']);
export type WhoMayAsk = z.infer<typeof WhoMayAskSchema>;

const EscalationStepSchema = z.strictObject({
  afterBreachWorkingHours: z.number().min(0).finite().describe('Working hours after the breach; 0 = at the breach.'),
  notify: IdListSchema.describe('Recipient roles, resolved to people later.'),
});

/**
 * SLA alerting. Fractions are of the target's working time: a warning at 0.75 of an 8-hour
 * target fires after 6 working hours. The breach is at 1.0 by definition; `breachAt` only
 * states it in the data.
 */
export const AlertingSchema = z
  .strictObject({
    warnings: z.array(z.number().gt(0).lt(1)),
    warningNotify: z.array(VocabularyIdSchema),
    breachAt: z.literal(1),
    escalation: z.array(EscalationStepSchema),
  })
  .superRefine((a, ctx) => {
    a.warnings.forEach((w, i) => {
      if (i > 0 && w <= a.warnings[i - 1]!) ctx.addIssue({ code: 'custom', path: ['warnings', i], message: 'warnings must increase' });
    });
    a.escalation.forEach((s, i) => {
      if (i > 0 && s.afterBreachWorkingHours <= a.escalation[i - 1]!.afterBreachWorkingHours)
        ctx.addIssue({ code: 'custom', path: ['escalation', i], message: 'escalation steps must be in increasing order of afterBreachWorkingHours' });
    });
    if (a.warnings.length > 0 && a.warningNotify.length === 0)
      ctx.addIssue({ code: 'custom', path: ['warningNotify'], message: 'warnings need at least one recipient' });
  });
export type Alerting = z.infer<typeof AlertingSchema>;

const AutoCloseWorkingDaysSchema = z.number().int().min(1).max(100);

const ProviderSchema = z.strictObject({
  kind: z.enum(['sales-office', 'supplier-support', 'contract-counterparty']),
  name: LocalizedTextSchema,
});

const LevelIdentityShape = {
  id: LevelIdSchema,
  name: LocalizedTextSchema,
  who: LocalizedTextSchema,
  fee: z.enum(['free', 'paid']),
};

type FullLevel = z.infer<typeof FullLevelSchema>;
type InheritingLevel = z.infer<typeof InheritingLevelSchema>;

const FullLevelSchema = z.strictObject({
  ...LevelIdentityShape,
  code: z.string().min(1).optional().describe('The source\'s shorthand, e.g. "5x8x16".'),
  provider: ProviderSchema,
  schedule: LocalizedTextSchema,
  calendar: CalendarRefSchema,
  targets: LevelTargetsSchema,
  channels: TermListSchema,
  services: TermListSchema,
  quota: LevelQuotaSchema,
  whoMayAsk: WhoMayAskSchema.optional().describe('Absent: anyone (catalogue v1).'),
  alerting: AlertingSchema.optional().describe('Overrides defaults.alerting.'),
  autoCloseWorkingDays: AutoCloseWorkingDaysSchema.optional().describe('Overrides defaults.autoCloseWorkingDays.'),
});

/** A level that takes every term (provider, calendar, targets, lists, alerting) from another. */
const InheritingLevelSchema = z.strictObject({ ...LevelIdentityShape, inherits: LevelIdSchema });

/**
 * A level is inheriting iff it has `inherits`. Choosing the schema up front (instead of a plain
 * union) keeps error messages precise: "levels.1.targets...", not "levels.1: Invalid input".
 */
const LevelSchema = z.record(z.string(), z.unknown()).transform((raw, ctx): FullLevel | InheritingLevel => {
  const parsed = 'inherits' in raw ? InheritingLevelSchema.safeParse(raw) : FullLevelSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

const VocabularyEntrySchema = z.strictObject({ id: VocabularyIdSchema, name: LocalizedTextSchema });

export const CatalogueDocumentSchema = z.strictObject({
  catalogueVersion: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/).describe('Unique id of this version, e.g. "support-levels.v1".'),
  effectiveFrom: LocalDateSchema.describe('First day (Moscow) on which new requests are admitted under this version.'),
  source: z.strictObject({ title: LocalizedTextSchema, lastUpdated: LocalDateSchema, document: z.string().min(1) }),
  channels: z.array(VocabularyEntrySchema.extend({ byArrangement: z.boolean() })).min(1),
  services: z.array(VocabularyEntrySchema).min(1),
  recipients: z.array(z.strictObject({ id: VocabularyIdSchema, description: LocalizedTextSchema })).min(1),
  defaults: z.strictObject({ alerting: AlertingSchema, autoCloseWorkingDays: AutoCloseWorkingDaysSchema }),
  levels: z.array(LevelSchema),
  lifecycleTerms: CatalogueLifecycleTermsSchema.optional().describe('From support-levels.v2: what a reply after resolution does. Absent: a reply reopens.'),
});
export type CatalogueDocument = z.infer<typeof CatalogueDocumentSchema>;

// ---------------------------------------------------------------------------------------------
// Resolved catalogue (what the rest of the policy reads)

export interface VocabularyEntry {
  id: string;
  name: LocalizedText;
}

export interface ChannelEntry extends VocabularyEntry {
  /** Visits "by prior arrangement": admitted like any channel, but someone must book them. */
  byArrangement: boolean;
}

/** A level with defaults applied and inheritance flattened: every term is present. */
export interface CatalogueLevel {
  id: LevelId;
  name: LocalizedText;
  who: LocalizedText;
  fee: 'free' | 'paid';
  code?: string;
  /** Set when the terms come from another level (pilot from warranty). */
  inheritsFrom?: LevelId;
  provider: { kind: 'sales-office' | 'supplier-support' | 'contract-counterparty'; name: LocalizedText };
  schedule: LocalizedText;
  calendar: CalendarRef;
  targets: LevelTargets;
  channels: TermList;
  services: TermList;
  quota: LevelQuota;
  whoMayAsk: WhoMayAsk;
  alerting: Alerting;
  autoCloseWorkingDays: number;
  /** Terms of the request's life after the first answer (defaults for documents without them). */
  lifecycle: LifecycleTerms;
}

export interface Catalogue {
  catalogueVersion: string;
  effectiveFrom: LocalDate;
  source: CatalogueDocument['source'];
  channels: readonly ChannelEntry[];
  services: readonly VocabularyEntry[];
  recipients: readonly { id: string; description: LocalizedText }[];
  levels: Readonly<Record<LevelId, CatalogueLevel>>;
}

function isInheriting(level: FullLevel | InheritingLevel): level is InheritingLevel {
  return 'inherits' in level;
}

/** Cross-reference checks the shape schema cannot express. */
function crossCheck(doc: CatalogueDocument): string[] {
  const problems: string[] = [];
  const duplicates = (what: string, ids: string[]) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) problems.push(`${what}: id "${id}" is declared twice`);
      seen.add(id);
    }
    return seen;
  };
  const channels = duplicates('channels', doc.channels.map((c) => c.id));
  const services = duplicates('services', doc.services.map((s) => s.id));
  const recipients = duplicates('recipients', doc.recipients.map((r) => r.id));
  const levels = duplicates('levels', doc.levels.map((l) => l.id));
  for (const id of LEVEL_IDS) if (!levels.has(id)) problems.push(`levels: level "${id}" is missing`);

  const checkIds = (path: string, ids: readonly string[], known: Set<string>, what: string) =>
    ids.forEach((id, i) => {
      if (!known.has(id)) problems.push(`${path}[${i}]: unknown ${what} "${id}"`);
    });
  const checkAlerting = (path: string, a: Alerting) => {
    checkIds(`${path}.warningNotify`, a.warningNotify, recipients, 'recipient');
    a.escalation.forEach((s, i) => checkIds(`${path}.escalation[${i}].notify`, s.notify, recipients, 'recipient'));
  };
  const checkList = (path: string, list: TermList, known: Set<string>, what: string) =>
    checkIds(list.kind === 'fixed' ? `${path}.ids` : `${path}.typical`, list.kind === 'fixed' ? list.ids : list.typical, known, what);

  checkAlerting('defaults.alerting', doc.defaults.alerting);
  doc.levels.forEach((level, i) => {
    const path = `levels[${i}]`;
    if (isInheriting(level)) {
      const parent = doc.levels.find((l) => l.id === level.inherits);
      if (level.inherits === level.id) problems.push(`${path}.inherits: a level cannot inherit from itself`);
      else if (!parent) problems.push(`${path}.inherits: unknown level "${level.inherits}"`);
      else if (isInheriting(parent)) problems.push(`${path}.inherits: "${level.inherits}" inherits too; chains are not allowed`);
      return;
    }
    checkList(`${path}.channels`, level.channels, channels, 'channel');
    checkList(`${path}.services`, level.services, services, 'service');
    if (level.alerting) checkAlerting(`${path}.alerting`, level.alerting);
    // "Per contract" must be all or nothing: a contract level with fixed lists would be half-specified.
    const perContract = [level.calendar.kind, level.targets.kind, level.channels.kind, level.services.kind, level.quota.kind].filter((k) => k === 'contract').length;
    if (perContract !== 0 && perContract !== 5)
      problems.push(`${path}: calendar, targets, channels, services and quota must all be "contract" or none`);
    if (level.whoMayAsk === 'contract' && perContract === 0) problems.push(`${path}.whoMayAsk: "contract" needs a per-contract level`);
  });
  return problems;
}

function resolve(doc: CatalogueDocument): Catalogue {
  const full = (id: LevelId) => doc.levels.find((l): l is FullLevel => l.id === id && !isInheriting(l));
  const levels = {} as Record<LevelId, CatalogueLevel>;
  for (const level of doc.levels) {
    const terms = isInheriting(level) ? full(level.inherits)! : level;
    levels[level.id] = {
      id: level.id,
      name: level.name,
      who: level.who,
      fee: level.fee,
      ...(terms.code !== undefined && { code: terms.code }),
      ...(isInheriting(level) && { inheritsFrom: level.inherits }),
      provider: terms.provider,
      schedule: terms.schedule,
      calendar: terms.calendar,
      targets: terms.targets,
      channels: terms.channels,
      services: terms.services,
      quota: terms.quota,
      whoMayAsk: terms.whoMayAsk ?? 'anyone',
      alerting: terms.alerting ?? doc.defaults.alerting,
      autoCloseWorkingDays: terms.autoCloseWorkingDays ?? doc.defaults.autoCloseWorkingDays,
      lifecycle: levelLifecycleTerms(doc.lifecycleTerms, level.id, isInheriting(level) ? level.inherits : undefined),
    };
  }
  return {
    catalogueVersion: doc.catalogueVersion,
    effectiveFrom: doc.effectiveFrom,
    source: doc.source,
    channels: doc.channels,
    services: doc.services,
    recipients: doc.recipients,
    levels,
  };
}

/**
 * Validates a catalogue document and resolves it. Throws {@link CatalogueError} listing every
 * problem with its path.
 *
 * @example
 * const c = parseCatalogue(json);
 * c.levels.pilot.targets // { kind: 'fixed', firstResponse: { workingHours: 8 }, resolution: { workingHours: 40 } }
 */
export function parseCatalogue(raw: unknown): Catalogue {
  const parsed = CatalogueDocumentSchema.safeParse(raw);
  if (!parsed.success) throw new CatalogueError(describeIssues(parsed.error.issues));
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) throw new CatalogueError(problems);
  return resolve(parsed.data);
}

/** Every published catalogue, oldest first (see `catalogue/index.ts`). */
export const PUBLISHED_CATALOGUES: readonly Catalogue[] = PUBLISHED_CATALOGUE_DOCUMENTS.map(parseCatalogue);

/**
 * The catalogue in force at an instant: the one with the latest `effectiveFrom` not after the
 * instant's Moscow date. Throws when none is yet in force.
 *
 * @example catalogueEffectiveAt(PUBLISHED_CATALOGUES, Date.UTC(2026, 0, 1)).catalogueVersion // 'support-levels.v1'
 */
export function catalogueEffectiveAt(catalogues: readonly Catalogue[], at: EpochMs): Catalogue {
  const today = localDateAt(at);
  const inForce = catalogues
    .filter((c) => isWithin(c.effectiveFrom, null, today))
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : a.effectiveFrom > b.effectiveFrom ? -1 : 0));
  const found = inForce[0];
  if (!found) throw new RangeError(`no catalogue is in force on ${today}`);
  return found;
}

/** Finds a published catalogue by version, e.g. to show the names of a pinned policy's level. */
export function catalogueByVersion(catalogues: readonly Catalogue[], version: string): Catalogue | undefined {
  return catalogues.find((c) => c.catalogueVersion === version);
}

export function isKnownChannel(catalogue: Catalogue, id: string): boolean {
  return catalogue.channels.some((c) => c.id === id);
}

export function isKnownService(catalogue: Catalogue, id: string): boolean {
  return catalogue.services.some((s) => s.id === id);
}
