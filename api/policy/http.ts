/**
 * What the policy routers share: query and path parsing, answering a create-once, the
 * problems they throw (validation 400/422, unknown references 422, conflicts 409, refusals 422).
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AdmissionRefusal } from '../../domain/policy';
import { RecordIdSchema } from '../../domain/policy';
import type { CreateOutcome, MissingReference, Page } from '../../db/queries/policy';
import { ConflictProblem, NotFoundProblem, Problem, ValidationProblem, type FieldError } from '../problems';
import { fieldErrors, parseWith, unstorableTextErrors } from '../validate';

/** `limit` (1..500, default 100) and `after` (the `next` of the previous page). */
export const pageQueryShape = {
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: RecordIdSchema.optional(),
};

/** Parses the query string strictly: unknown parameters are errors named `query:<name>`. */
export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  const unstorableText = unstorableTextErrors(req.query, 'query');
  if (unstorableText.length > 0) throw new ValidationProblem(unstorableText.map((e) => ({ ...e, field: e.field.replace(/^query\./, 'query:') })));
  const result = schema.safeParse(req.query);
  if (!result.success) throw new ValidationProblem(fieldErrors(result.error).map((e) => ({ ...e, field: e.field === 'body' ? 'query' : `query:${e.field}` })));
  return result.data;
}

/** A path parameter that is a record id, e.g. `pathId(req, 'customerId')`. */
export function pathId(req: Request, name: string): string {
  return parseWith(req.params[name], RecordIdSchema, `path:${name}`);
}

/** Throws a 400 naming every field when checks beyond the schema (intervals, duplicates) fail. */
export function requireValid(errors: FieldError[]): void {
  if (errors.length > 0) throw new ValidationProblem(errors);
}

/** `to` must not be before `from` (inclusive Moscow dates compare as strings). */
export function orderedDates(from: string, to: string | undefined, field: string): FieldError[] {
  return to !== undefined && to < from ? [{ field, rule: 'date_order', message: `${to} is before ${from}` }] : [];
}

export function noDuplicates(ids: readonly string[], field: string): FieldError[] {
  return ids.flatMap((id, i) => (ids.indexOf(id) < i ? [{ field: `${field}.${i}`, rule: 'duplicate', message: `"${id}" is listed twice` }] : []));
}

/** 422: the record refers to records that do not exist; each named by its field. */
export function unknownReferencesProblem(missing: readonly MissingReference[]): ValidationProblem {
  return new ValidationProblem(
    missing.map((m) => ({ field: m.field, rule: 'unknown_reference', message: `unknown ${m.what} "${m.id}"` })),
    422,
  );
}

/**
 * Answers a create-once: 201 with Location for a new record, 200 for a retry with the same
 * body, 409 naming the differing fields when the id holds another record, 422 for unknown
 * references.
 */
export function answerCreate<T>(res: Response, outcome: CreateOutcome<T>, what: string, location: string): void {
  switch (outcome.kind) {
    case 'created':
      res.status(201).location(location).json(outcome.record);
      return;
    case 'existing':
      res.status(200).location(location).json(outcome.record);
      return;
    case 'conflict':
      throw new ConflictProblem(`${what} already exists with different values (${outcome.differences.join(', ')})`, {
        differences: outcome.differences,
        existing: outcome.record,
      });
    case 'unknown-references':
      throw unknownReferencesProblem(outcome.missing);
  }
}

export function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new NotFoundProblem(what);
  return value;
}

export function sendPage<T>(res: Response, page: Page<T>): void {
  res.json(page);
}

/** `encodeURIComponent` for ids in Location headers. */
export const enc = encodeURIComponent;

/**
 * 422: the support policy turns the request down. `rule` is stable (domain `REFUSAL_RULES`),
 * `allowed` lists the terms the customer does hold, so a client can offer them instead.
 */
export class RefusalProblem extends Problem {
  constructor(readonly refusal: AdmissionRefusal) {
    super(422, 'Refused by the support policy', refusal.message, {
      rule: refusal.rule,
      message: refusal.message,
      ...(refusal.field && { field: refusal.field, errors: [{ field: refusal.field, rule: refusal.rule, message: refusal.message }] }),
      allowed: refusal.allowed,
      notGranted: refusal.notGranted,
    });
  }
}

/** The 422 problem for an admission refusal (the lead's registration throws it). */
export function refusalProblem(refusal: AdmissionRefusal): RefusalProblem {
  return new RefusalProblem(refusal);
}
