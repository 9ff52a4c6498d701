import { Router } from 'express';
import type { Knex } from 'knex';
import { createProduct, getProduct, listProducts } from '../../db/queries/policy';
import { configWriter, staffReader } from '../auth/authorize';
import { parseBody } from '../validate';
import { answerCreate, enc, found, parseQuery, pathId, sendPage } from './http';
import { productBody, productsQuery } from './schemas';

/** /v1/products: the vendor's products, free or commercial, and when support is withdrawn. */
export function productsRouter(db: Knex): Router {
  const router = Router();

  router.post('/products', ...configWriter, async (req, res) => {
    const product = parseBody(req, productBody);
    answerCreate(res, await createProduct(db, product), `product "${product.id}"`, `${req.baseUrl}/products/${enc(product.id)}`);
  });

  router.get('/products', ...staffReader, async (req, res) => {
    const { kind, ...page } = parseQuery(req, productsQuery);
    sendPage(res, await listProducts(db, { ...(kind && { kind }) }, page));
  });

  router.get('/products/:productId', ...staffReader, async (req, res) => {
    const id = pathId(req, 'productId');
    res.json(found(await getProduct(db, id), `product "${id}"`));
  });

  return router;
}
