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

/** Parses a JSON body strictly: JSON content type, an object, the schema's fields only. */
export function parseBody<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  if (!req.is('application/json')) {
    throw new ValidationProblem([{ field: 'header:content-type', rule: 'unsupported_media_type', message: 'must be application/json' }], 415);
  }
  const result = schema.safeParse(req.body);
  if (!result.success) throw new ValidationProblem(fieldErrors(result.error));
  return result.data;
}

export function parseWith<S extends z.ZodType>(value: unknown, schema: S, prefix: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationProblem(fieldErrors(result.error, prefix));
  return result.data;
}
