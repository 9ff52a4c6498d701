/**
 * Support levels as executable policy: pure domain code, no I/O.
 *
 * catalogue (data) + facts (customer records) + an instant
 *   → entitlement (levels held) → admission (level serving a request) → pinned policy (frozen terms).
 */
export * from './vocabulary';
export * from './local-date';
export * from './targets';
export * from './errors';
export * from './catalogue';
export * from './facts';
export * from './warranty-term';
export * from './quota';
export * from './entitlement';
export * from './terms';
export * from './who-may-ask';
export * from './not-granted';
export * from './refusal';
export * from './pinned';
export * from './admission';
