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

/**
 * Every string (value or key) holding U+0000, which PostgreSQL text cannot store: refused here,
 * before anything starts (a workflow, a write), not as a failed INSERT later. Iterative, so a
 * deeply nested body cannot overflow the stack.
 */
export function nulCharacterErrors(value: unknown, prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  const stack: Array<[unknown, string[]]> = [[value, []]];
  const field = (parts: string[]) => [prefix, ...parts].filter(Boolean).join('.') || 'body';
  while (stack.length > 0 && errors.length < 20) {
    const [v, parts] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) errors.push({ field: field(parts), rule: 'nul_character', message: 'must not contain the NUL character (U+0000)' });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000')) errors.push({ field: field([...parts, k]), rule: 'nul_character', message: 'a field name must not contain the NUL character (U+0000)' });
        stack.push([x, [...parts, k]]);
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
  const nul = nulCharacterErrors(req.body);
  if (nul.length > 0) throw new ValidationProblem(nul);
  const result = schema.safeParse(req.body);
  if (!result.success) throw new ValidationProblem(fieldErrors(result.error));
  return result.data;
}

export function parseWith<S extends z.ZodType>(value: unknown, schema: S, prefix: string): z.infer<S> {
  const nul = nulCharacterErrors(value, prefix);
  if (nul.length > 0) throw new ValidationProblem(nul);
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationProblem(fieldErrors(result.error, prefix));
  return result.data;
}
