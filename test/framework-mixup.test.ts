import express, { type NextFunction, type Request, type Response } from 'express';
import Koa from 'koa';
import request from 'supertest';

import * as expressAdapter from '../src';
import * as koaAdapter from '../src/koa';
import { silentLogger } from '../src/logger';

const tracker = expressAdapter.createTracker({ trackId: '111111111111111', trackDomain: '127.0.0.1:9', logger: silentLogger });
const order = (): undefined => undefined;

type Factory = 'captureEid' | 'orderConfirmation' | 'orderWebhook';
const FACTORIES: Factory[] = ['captureEid', 'orderConfirmation', 'orderWebhook'];

function options(factory: Factory) {
  return factory === 'captureEid' ? { tracker, route: '/checkout' } : { tracker, order };
}

afterAll(async () => {
  await tracker.close({ timeoutMs: 100 });
});

describe('Koa middleware mounted in Express', () => {
  it.each(FACTORIES)('%s names the Express import', async (factory) => {
    const app = express();
    app.use((koaAdapter[factory] as unknown as (options: object) => express.RequestHandler)(options(factory)));
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).send(error.message);
    });

    const response = await request(app).get('/checkout');

    expect(response.status).toBe(500);
    expect(response.text).toBe(`mapp-s2s: ${factory} from "mapp-s2s/koa" is Koa middleware but was mounted in Express. `
      + `Import ${factory} from "mapp-s2s" instead.`);
  });
});

describe('Express middleware mounted in Koa', () => {
  it.each(FACTORIES)('%s names the Koa import', async (factory) => {
    const app = new Koa();
    const errors: string[] = [];
    app.silent = true;
    app.on('error', (error: Error) => errors.push(error.message));
    app.use((expressAdapter[factory] as unknown as (options: object) => Koa.Middleware)(options(factory)));

    const response = await request(app.callback()).get('/checkout');

    expect(response.status).toBe(500);
    expect(errors).toEqual([`mapp-s2s: ${factory} from "mapp-s2s" is Express middleware but was mounted in Koa. `
      + `Import ${factory} from "mapp-s2s/koa" instead.`]);
  });
});
