/**
 * Errors of the policy module. A customer's request that the policy turns down is NOT an error:
 * admission returns a refusal value (see `refusal.ts`). These errors mean bad data or a caller
 * bug, and should surface as server faults.
 */

/** The catalogue document is invalid; the message lists every problem with its path. */
export class CatalogueError extends Error {
  override readonly name = 'CatalogueError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid support-level catalogue:\n- ${problems.join('\n- ')}`);
  }
}

/** The facts are invalid (shape or cross-references); the message lists every problem with its path. */
export class FactsError extends Error {
  override readonly name = 'FactsError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid policy facts:\n- ${problems.join('\n- ')}`);
  }
}

/** The caller omitted something only it can know, e.g. the quota usage of a contract. */
export class PolicyInputError extends Error {
  override readonly name = 'PolicyInputError';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** Formats zod issues as `path: message` lines. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`);
}
