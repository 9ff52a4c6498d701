import type { Request } from 'express';
import type { z } from 'zod';
import { ValidationProblem, type FieldError } from './problems';

/** Maps zod issues to field errors that name the field and the rule. */
export function fieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  const path = (...parts: string[]) => [prefix, ...parts].filter(Boolean).join('.') || 'body';
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: path(...issue.path.map(String), key), rule: 'unrecognized_key', message: 'is not a known field' }))
      : [{ field: path(...issue.path.map(String)), rule: issue.code, message: issue.message }],
  );
}

/** A node of the walk over a body's strings: its key and its parent, so a field's path is built only when reported. */
interface Visit {
  value: unknown;
  key: string | undefined;
  parent: Visit | undefined;
}
const pathOf = (visit: Visit | undefined): string[] => {
  const parts: string[] = [];
  for (let v = visit; v?.key !== undefined; v = v.parent) parts.push(v.key);
  return parts.reverse();
};

/** A UTF-16 surrogate without its pair (JSON can carry one as `"\ud800"`). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What a string holds that PostgreSQL cannot store, as a rule and its message; undefined if nothing. */
function unstorable(text: string): { rule: string; message: string } | undefined {
  if (text.includes('\u0000')) return { rule: 'nul_character', message: 'must not contain the NUL character (U+0000)' };
  // Text columns would store U+FFFD in its place, a jsonb column refuses it: both lose what was sent.
  if (LONE_SURROGATE.test(text)) return { rule: 'lone_surrogate', message: 'must be well-formed Unicode: a UTF-16 surrogate without its pair (e.g. "\\ud800") cannot be stored' };
  return undefined;
}

/**
 * Every string (value or key) that PostgreSQL cannot store (U+0000, a lone UTF-16 surrogate):
 * refused here, before anything starts (a workflow, a write), not as a failed INSERT later.
 * Iterative, so a deeply nested body cannot overflow the stack, and linear in the body's size:
 * each node keeps a link to its parent, and a path is built only for a reported field (copying
 * the path at every level made a deep body quadratic: 131k levels took minutes).
 */
export function unstorableTextErrors(value: unknown, prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  const stack: Visit[] = [{ value, key: undefined, parent: undefined }];
  const field = (visit: Visit | undefined, last?: string) => [prefix, ...pathOf(visit), ...(last === undefined ? [] : [last])].filter(Boolean).join('.') || 'body';
  while (stack.length > 0 && errors.length < 20) {
    const visit = stack.pop()!;
    const v = visit.value;
    if (typeof v === 'string') {
      const bad = unstorable(v);
      if (bad) errors.push({ field: field(visit), ...bad });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const bad = unstorable(k);
        if (bad) errors.push({ field: field(visit, k), rule: bad.rule, message: `a field name ${bad.message}` });
        stack.push({ value: x, key: k, parent: visit });
      }
    }
  }
  return errors;
}

/** Parses a JSON body strictly: JSON content type, an object, the schema's fields only. */
export function parseBody<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  if (!req.is('application/json')) {
    throw new ValidationProblem([{ field: 'header:content-type', rule: 'unsupported_media_type', message: 'must be application/json' }], 415);
  }
  const unstorableText = unstorableTextErrors(req.body);
  if (unstorableText.length > 0) throw new ValidationProblem(unstorableText);
  const result = schema.safeParse(req.body);
  if (!result.success) throw new ValidationProblem(fieldErrors(result.error));
  return result.data;
}

export function parseWith<S extends z.ZodType>(value: unknown, schema: S, prefix: string): z.infer<S> {
  const unstorableText = unstorableTextErrors(value, prefix);
  if (unstorableText.length > 0) throw new ValidationProblem(unstorableText);
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationProblem(fieldErrors(result.error, prefix));
  return result.data;
}
