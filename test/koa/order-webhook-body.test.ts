import { request as httpRequest } from 'node:http';

import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';

import { orderWebhook } from '../../src/koa';
import { listenOnLoopback, type Shop } from '../behaviour/driver';
import { SAMPLE_ORDER } from '../helpers/sample-order';
import { useTrackingEnv } from '../helpers/tracking-env';

const env = useTrackingEnv();
const TOO_LARGE = 'orderWebhook: the JSON body is larger than 1048576 bytes; mount a body parser with a larger limit before orderWebhook';
let shop: Shop | undefined;

afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

interface Seen {
  body: unknown;
  rawBody: unknown;
}

/** Start a Koa app whose only middleware is orderWebhook, after @koa/bodyparser when asked; record what `order` saw. */
async function startWebhook(options: { withBodyParser: boolean; before?: Koa.Middleware }): Promise<Seen[]> {
  const seen: Seen[] = [];
  const app = new Koa();
  app.silent = true;
  if (options.withBodyParser) {
    app.use(bodyParser());
  }
  if (options.before) {
    app.use(options.before);
  }
  app.use(orderWebhook({
    tracker: env.tracker,
    order: (ctx) => {
      const { body, rawBody } = ctx.request;
      seen.push({ body, rawBody });
      const orderId = (body as { orderId?: unknown } | undefined)?.orderId;
      return typeof orderId === 'string' ? { ...SAMPLE_ORDER, id: orderId } : undefined;
    },
  }));

  shop = await listenOnLoopback(app.callback());
  return seen;
}

/** POST JSON in several chunks without a Content-Length header, so the size is known only while reading. */
function postChunked(url: string, chunks: readonly string[]): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    outgoing.on('error', reject);
    for (const chunk of chunks) {
      outgoing.write(chunk);
    }
    outgoing.end();
  });
}

describe('Koa orderWebhook request body', () => {
  it('reads JSON without a body parser', async () => {
    const seen = await startWebhook({ withBodyParser: false });
    const text = '{"orderId":"A-1001"}';
    const response = await shop!.client().post('/', text, 'application/json');

    expect(response).toMatchObject({ status: 200, text: '{"received":true}' });
    expect(seen).toEqual([{ body: { orderId: 'A-1001' }, rawBody: text }]);
    expect((await env.collector.waitForHits(1))[0].order?.id).toBe('A-1001');
  });

  it('uses the body of @koa/bodyparser', async () => {
    const seen = await startWebhook({ withBodyParser: true });
    const response = await shop!.client().post('/', '{"orderId":"A-1001"}', 'application/json; charset=utf-8');

    expect(response).toMatchObject({ status: 200, text: '{"received":true}' });
    expect(seen).toEqual([{ body: { orderId: 'A-1001' }, rawBody: '{"orderId":"A-1001"}' }]);
    expect((await env.collector.waitForHits(1))[0].order?.id).toBe('A-1001');
  });

  it('reads a +json content type', async () => {
    const seen = await startWebhook({ withBodyParser: false });
    await shop!.client().post('/', '{"orderId":"A-1001"}', 'application/vnd.psp.event+json');
    expect(seen.map((entry) => entry.body)).toEqual([{ orderId: 'A-1001' }]);
  });

  it('reads an empty JSON body as {}', async () => {
    const seen = await startWebhook({ withBodyParser: false });
    expect((await shop!.client().post('/', '', 'application/json')).status).toBe(200);
    expect(seen.map((entry) => entry.body)).toEqual([{}]);
  });

  it('leaves a form body unread', async () => {
    const seen = await startWebhook({ withBodyParser: false });
    expect((await shop!.client().postForm('/', { orderId: 'A-1001' })).status).toBe(200);
    expect(seen).toEqual([{ body: undefined, rawBody: undefined }]);
  });

  it('skips a stream read before', async () => {
    let readBefore = '';
    const seen = await startWebhook({
      withBodyParser: false,
      // Reads the stream without setting ctx.request.body, as a hand-written signature check might.
      before: async (ctx, next) => {
        for await (const chunk of ctx.req) {
          readBefore += String(chunk);
        }
        await next();
      },
    });

    expect((await shop!.client().post('/', '{"orderId":"A-1001"}', 'application/json')).status).toBe(200);
    expect(readBefore).toBe('{"orderId":"A-1001"}');
    expect(seen).toEqual([{ body: undefined, rawBody: undefined }]);
  });

  it('rejects invalid JSON with 400', async () => {
    const seen = await startWebhook({ withBodyParser: false });
    const response = await shop!.client().post('/', '{"orderId":', 'application/json');

    expect(response).toMatchObject({ status: 400, text: 'orderWebhook: the request body is not valid JSON' });
    expect(seen).toEqual([]);
    await env.tracker.flush();
    expect(env.collector.requests).toHaveLength(0);
  });

  it('rejects a declared length over 1 MiB', async () => {
    const seen = await startWebhook({ withBodyParser: false });
    const text = JSON.stringify({ orderId: 'A-1001', padding: 'x'.repeat(1024 * 1024) });
    const response = await shop!.client().post('/', text, 'application/json');

    expect(response).toMatchObject({ status: 413, text: TOO_LARGE });
    expect(seen).toEqual([]);
  });

  it('rejects a chunked body over 1 MiB', async () => {
    const seen = await startWebhook({ withBodyParser: false });
    const response = await postChunked(shop!.url, ['{"padding":"', 'x'.repeat(600 * 1024), 'x'.repeat(600 * 1024), '"}']);

    expect(response).toEqual({ status: 413, text: TOO_LARGE });
    expect(seen).toEqual([]);
  });
});
