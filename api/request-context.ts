import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

declare module 'express-serve-static-core' {
  interface Request {
    /** Correlates a response, its log lines and its problem details. */
    id: string;
  }
}

const ACCEPTABLE_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Assigns a request id (reusing a sane incoming X-Request-Id) and logs one line per request:
 * method, path, status, time and the caller's key id. Never headers, query strings or bodies,
 * so API keys (Authorization, X-API-Key) and personal data stay out of the logs.
 */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.header('x-request-id');
    req.id = incoming && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ requestId: req.id, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10, keyId: req.principal?.keyId }, 'http');
    });
    next();
  };
}
