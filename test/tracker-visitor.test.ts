import express from 'express';
import request from 'supertest';

import { orderWebhook } from '../src';
import { SAMPLE_ORDER } from './helpers/sample-order';
import { useTrackingEnv } from './helpers/tracking-env';

const env = useTrackingEnv();

describe('trackOrder visitor checks', () => {
  it('leaves out an EID given as a number', async () => {
    await env.tracker.trackOrder(SAMPLE_ORDER, { eid: 2170000000000000001 as unknown as string });

    const [hit] = await env.collector.waitForHits(1);
    expect(hit.eid).toBeUndefined();
    expect(env.logger.at('warn').map((line) => line.message)).toEqual([
      'visitor.eid is a number, which cannot hold 19 digits exactly; pass it as a string. It is left out of the hit',
    ]);
  });

  it('leaves out an IP that is no address', async () => {
    await env.tracker.trackOrder(SAMPLE_ORDER, { ip: 'localhost' });

    const [hit] = await env.collector.waitForHits(1);
    expect(hit.ip).toBeUndefined();
    expect(env.logger.at('warn').map((line) => line.message)).toEqual(['visitor.ip is not an IP address and is left out of the hit']);
  });
});

describe('orderWebhook on Express without a body parser', () => {
  it('warns once that req.body is undefined', async () => {
    const app = express();
    app.post('/webhook', orderWebhook({ tracker: env.tracker, order: () => SAMPLE_ORDER }));

    await request(app).post('/webhook').send({ orderId: SAMPLE_ORDER.id }).expect(200);
    await request(app).post('/webhook').send({ orderId: SAMPLE_ORDER.id }).expect(200);

    const bodyWarnings = env.logger.at('warn').filter((line) => line.message.includes('req.body is undefined'));
    expect(bodyWarnings.map((line) => line.message)).toEqual([
      'orderWebhook: req.body is undefined, so the order callback cannot read the notification; mount express.json() before orderWebhook',
    ]);
  });
});
