/**
 * Service terms: what a held entitlement actually offers — the catalogue level's terms, or for
 * an individual contract, the contract's SLA (the catalogue says "per contract" there).
 */
import type { Alerting, Catalogue, CalendarRef } from './catalogue';
import type { Contact, ContractQuota, ContractTargets, IndividualContract, PolicyFacts } from './facts';
import type { Entitlement } from './entitlement';
import type { TargetPair } from './targets';
import type { LevelId, Priority } from './vocabulary';
import type { ReporterRule } from './who-may-ask';
import type { LifecycleTerms } from './lifecycle-terms';

export interface ServiceTerms {
  level: LevelId;
  /** Contract ids resolve to a fixed calendar here; `office` is resolved at admission. */
  calendar: Exclude<CalendarRef, { kind: 'contract' }>;
  targets: ContractTargets;
  channels: readonly string[];
  services: readonly string[];
  alerting: Alerting;
  autoCloseWorkingDays: number;
  lifecycle: LifecycleTerms;
  /** Set only for a contract that limits requests. */
  quota?: ContractQuota;
  contract?: IndividualContract;
  /** Who may raise requests under these terms (see who-may-ask.ts). */
  whoMayAsk: ReporterRule;
  notify: { dedicatedEngineer?: Contact; escalationContacts: readonly Contact[] };
}

/**
 * The terms an entitlement offers.
 *
 * @example termsFor(catalogue, facts, pilotEntitlement).targets
 * // { kind: 'single', firstResponse: { workingHours: 8 }, resolution: { workingHours: 40 } }
 */
export function termsFor(catalogue: Catalogue, facts: PolicyFacts, entitlement: Entitlement): ServiceTerms {
  const level = catalogue.levels[entitlement.level];
  const common = { level: entitlement.level, alerting: level.alerting, autoCloseWorkingDays: level.autoCloseWorkingDays, lifecycle: level.lifecycle };
  if (entitlement.source.kind === 'contract') {
    const contractId = entitlement.source.contractId;
    const contract = facts.contracts.find((c) => c.id === contractId);
    if (!contract) throw new RangeError(`entitlement names contract "${contractId}", which is not in the facts`);
    const { sla } = contract;
    return {
      ...common,
      // A contract may set the terms of its own; the rest come from the catalogue's individual level.
      lifecycle: { ...level.lifecycle, ...sla.lifecycle },
      calendar: { kind: 'fixed', calendarId: sla.calendarId },
      targets: sla.targets,
      channels: sla.channels,
      services: sla.services,
      ...(sla.quota && { quota: sla.quota }),
      contract,
      whoMayAsk: sla.whoMayAsk ?? (level.whoMayAsk === 'representatives' ? 'representatives' : 'anyone'),
      notify: { ...(sla.dedicatedEngineer && { dedicatedEngineer: sla.dedicatedEngineer }), escalationContacts: sla.escalationContacts },
    };
  }
  if (level.calendar.kind === 'contract' || level.targets.kind === 'contract' || level.channels.kind === 'contract' || level.services.kind === 'contract')
    throw new RangeError(`level "${level.id}" has per-contract terms but the entitlement is not a contract`);
  return {
    ...common,
    calendar: level.calendar,
    targets: { kind: 'single', firstResponse: level.targets.firstResponse, resolution: level.targets.resolution },
    channels: level.channels.ids,
    services: level.services.ids,
    // "contract" is refused for levels without per-contract terms when the catalogue is parsed.
    whoMayAsk: level.whoMayAsk === 'representatives' ? 'representatives' : 'anyone',
    notify: { escalationContacts: [] },
  };
}

/**
 * The targets that apply to a priority.
 *
 * @example targetsForPriority({ kind: 'per-priority', byPriority }, 'critical') // byPriority.critical
 */
export function targetsForPriority(targets: ContractTargets, priority: Priority): TargetPair {
  return targets.kind === 'single' ? { firstResponse: targets.firstResponse, resolution: targets.resolution } : targets.byPriority[priority];
}

/**
 * Contract terms that name channels or services the catalogue does not declare. Such a term
 * would never match a request, so the caller should reject the facts.
 *
 * @example unknownContractTerms(catalogue, facts) // ['contracts[0].sla.channels[1]: unknown channel "fax"']
 */
export function unknownContractTerms(catalogue: Catalogue, facts: PolicyFacts): string[] {
  const channels = new Set(catalogue.channels.map((c) => c.id));
  const services = new Set(catalogue.services.map((s) => s.id));
  return facts.contracts.flatMap((c, i) => [
    ...c.sla.channels.flatMap((id, j) => (channels.has(id) ? [] : [`contracts[${i}].sla.channels[${j}]: unknown channel "${id}"`])),
    ...c.sla.services.flatMap((id, j) => (services.has(id) ? [] : [`contracts[${i}].sla.services[${j}]: unknown service "${id}"`])),
  ]);
}
