import { Router } from 'express';
import type { Knex } from 'knex';
import { createOffice, getOffice, listOffices } from '../../db/queries/policy';
import { configWriter, staffReader } from '../auth/authorize';
import { parseBody } from '../validate';
import { answerCreate, enc, found, parseQuery, pathId, sendPage } from './http';
import { officeBody, officesQuery } from './schemas';

/**
 * /v1/offices: sales offices and partners giving initial support, each with its calendar.
 * The calendar must exist (shipped, or defined at run time through /v1/calendars): an unknown
 * one is refused with 422 naming `calendarId`, so no request can be admitted onto it.
 */
export function officesRouter(db: Knex): Router {
  const router = Router();

  router.post('/offices', ...configWriter, async (req, res) => {
    const office = parseBody(req, officeBody);
    answerCreate(res, await createOffice(db, office), `sales office "${office.id}"`, `${req.baseUrl}/offices/${enc(office.id)}`);
  });

  router.get('/offices', ...staffReader, async (req, res) => {
    const { operator, calendarId, ...page } = parseQuery(req, officesQuery);
    sendPage(res, await listOffices(db, { ...(operator && { operator }), ...(calendarId && { calendarId }) }, page));
  });

  router.get('/offices/:officeId', ...staffReader, async (req, res) => {
    const id = pathId(req, 'officeId');
    res.json(found(await getOffice(db, id), `sales office "${id}"`));
  });

  return router;
}
