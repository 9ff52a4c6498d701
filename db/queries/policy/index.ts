/** Queries of the policy facts (products, offices, customers and what they hold, contracts). */
export * from './shared';
export * from './products';
export * from './offices';
export * from './customers';
export * from './holdings';
export * from './contracts';
export * from './facts';
