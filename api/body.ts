import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { ValidationProblem } from './problems';

/** JSON bodies: the largest accepted, and the deepest nesting (the deepest real body, a versioned calendar, is ~6). */
export const JSON_BODY_LIMIT = '256kb';
export const MAX_JSON_DEPTH = 32;
/** `.ics` uploads (text/calendar): the importer bounds its own work per file (domain/calendar/ics.ts). */
export const ICS_BODY_LIMIT = '1mb';

/**
 * Nesting depth of JSON text, in one pass over the bytes (strings and their escapes skipped),
 * stopping as soon as it passes `max`. Run before JSON.parse, so no later step (parse, the NUL
 * walk, the schema) ever sees a hostile tree: work on a body is linear in its size.
 */
export function jsonDepthExceeds(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x5c) i++; // backslash: skip the escaped byte (\" \\ …)
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x5b || b === 0x7b) {
      if (++depth > max) return true;
    } else if (b === 0x5d || b === 0x7d) depth--;
  }
  return false;
}

const charsetOf = (header: string | undefined): string | undefined => /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(header ?? '')?.[1]?.toLowerCase();

/**
 * Checks the raw bytes before they are decoded (body-parser's `verify` hook): UTF-8 only
 * (RFC 8259 §8.1; RFC 5545 §3.1.4 for iCalendar), and for JSON the depth cap. A bad byte
 * would otherwise be replaced by U+FFFD silently and stored as such.
 */
function verifier(kind: 'json' | 'ics'): (req: express.Request, res: express.Response, buf: Buffer) => void {
  return (req, _res, buf) => {
    const charset = charsetOf(req.headers['content-type']);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      throw new ValidationProblem([{ field: 'header:content-type', rule: 'unsupported_charset', message: `charset must be utf-8, got ${JSON.stringify(charset.slice(0, 40))}` }], 415);
    }
    if (!isUtf8(buf)) throw new ValidationProblem([{ field: 'body', rule: 'invalid_utf8', message: 'must be UTF-8 text' }]);
    if (kind === 'json' && jsonDepthExceeds(buf, MAX_JSON_DEPTH)) {
      throw new ValidationProblem([{ field: 'body', rule: 'too_deep', message: `must not nest arrays and objects more than ${MAX_JSON_DEPTH} levels deep` }]);
    }
  };
}

/**
 * The one body guard, mounted in api/app.ts before every router: every body any route reads
 * went through it (size, charset, UTF-8, depth), so a route that looks something up before
 * validating its body never handles a hostile one. Other media types are not read at all
 * (routes answer 415).
 */
export function bodyParsers(): RequestHandler[] {
  return [
    express.json({ limit: JSON_BODY_LIMIT, type: ['application/json', 'application/*+json'], verify: verifier('json') }),
    express.text({ limit: ICS_BODY_LIMIT, type: ['text/calendar'], verify: verifier('ics') }),
  ];
}
