import { Router } from 'express';
import { catalogueByVersion, catalogueEffectiveAt, PUBLISHED_CATALOGUES } from '../../domain/policy';
import { requireRole, ROLES } from '../auth/authorize';
import { NotFoundProblem } from '../problems';
import { parseQuery } from './http';
import { catalogueQuery } from './schemas';

/**
 * /v1/catalogue: the support-level catalogue in force (levels with their targets, calendars,
 * channels and services, and the wording of every channel and service), so intake systems can
 * discover the valid channel and category ids. `?at=` for another instant, `?version=` for a
 * published version by name.
 */
export function catalogueRouter(): Router {
  const router = Router();
  router.get('/catalogue', requireRole(...ROLES), (req, res) => {
    const { at, version } = parseQuery(req, catalogueQuery);
    if (version !== undefined) {
      const catalogue = catalogueByVersion(PUBLISHED_CATALOGUES, version);
      if (!catalogue) throw new NotFoundProblem(`catalogue version "${version}"`);
      res.json(catalogue);
      return;
    }
    try {
      res.json(catalogueEffectiveAt(PUBLISHED_CATALOGUES, at ?? Date.now()));
    } catch (err) {
      if (err instanceof RangeError) throw new NotFoundProblem(`a catalogue in force at ${new Date(at ?? Date.now()).toISOString()}`);
      throw err;
    }
  });
  return router;
}
