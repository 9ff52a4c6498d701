import { Router } from 'express';
import { openApiDocument } from './document';
import { renderDocsHtml } from './html';

/** GET /openapi.json and GET /docs: public, mounted before authentication. */
export function openApiRouter(): Router {
  const router = Router();
  let html: string | undefined;
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  router.get('/docs', (_req, res) => {
    html ??= renderDocsHtml(openApiDocument());
    res.type('html').send(html);
  });
  return router;
}
