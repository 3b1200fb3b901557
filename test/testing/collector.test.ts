import http from 'node:http';
import net from 'node:net';

import { startCollector, type Collector } from '../../src/testing';
import { waitUntil } from '../helpers/wait-until';

const TRACK_ID = '123451234512345';

const SAMPLE_LINE =
  'wt?p=600,order.s2s.confirmation,,,,,1733300000000,0,,&eid=2170000000000000001&X-WT-IP=203.0.113.7' +
  '&X-WT-UA=Mozilla%2F5.0%20(X11)&ov=79.7&oi=A-1001&cr=EUR&ba=SKU-1%3BSKU-2&co=39.9%3B39.8&qn=1%3B2&st=conf%3Bconf';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Sends one request on a fresh connection and resolves with the full reply. */
function send(
  url: string,
  options: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const requestOptions = { method: options.method ?? 'GET', headers: options.headers, agent: false };
    const request = http.request(url, requestOptions, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

/** Writes `raw` to a fresh connection and resolves with everything the collector sends back. */
function sendRaw(collector: Collector, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(collector.port, '127.0.0.1', () => socket.write(raw));
    let received = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

function sendHit(collector: Collector, line = SAMPLE_LINE): Promise<Reply> {
  return send(`${collector.url}/${TRACK_ID}/${line}`);
}

function sendBatch(collector: Collector, body: string): Promise<Reply> {
  return send(`${collector.url}/${TRACK_ID}/batch`, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'text/plain; utf-8' },
  });
}

function lineFor(orderId: string): string {
  return `wt?p=600,order,,,,,1733300000000,0,,&eid=2170000000000000001&ov=10&oi=${orderId}`;
}

describe('startCollector', () => {
  let collector: Collector;

  beforeEach(async () => {
    collector = await startCollector();
  });

  afterEach(async () => {
    await collector.close();
  });

  test('addresses on 127.0.0.1', () => {
    expect(collector.port).toBeGreaterThan(0);
    expect(collector.trackDomain).toBe(`127.0.0.1:${collector.port}`);
    expect(collector.url).toBe(`http://127.0.0.1:${collector.port}`);
  });

  test('invalid port rejected', async () => {
    await expect(startCollector({ port: 70000 })).rejects.toThrow(
      'startCollector: port must be an integer from 0 to 65535, got 70000',
    );
  });

  test('port in use rejected', async () => {
    await expect(startCollector({ port: collector.port })).rejects.toThrow(/EADDRINUSE/);
  });

  describe('GET hit', () => {
    test('responds with transparent GIF', async () => {
      const reply = await sendHit(collector);

      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('image/gif');
      expect(reply.body.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    });

    test('decoded with exact values', async () => {
      await sendHit(collector);

      expect(collector.hits).toHaveLength(1);
      const hit = collector.hits[0];
      expect(hit.trackId).toBe(TRACK_ID);
      expect(hit.method).toBe('GET');
      expect(hit.line).toBe(SAMPLE_LINE);
      expect(hit.page).toEqual({
        version: '600',
        contentId: 'order.s2s.confirmation',
        clientTimeMs: 1733300000000,
        referrer: '0',
      });
      expect(hit.eid).toBe('2170000000000000001');
      expect(hit.ip).toBe('203.0.113.7');
      expect(hit.userAgent).toBe('Mozilla/5.0 (X11)');
      expect(hit.order).toEqual({ id: 'A-1001', value: '79.7', currency: 'EUR', parameters: {} });
      expect(hit.products).toEqual([
        { id: 'SKU-1', cost: '39.9', quantity: '1', status: 'conf', categories: {} },
        { id: 'SKU-2', cost: '39.8', quantity: '2', status: 'conf', categories: {} },
      ]);
      expect(hit.problems).toEqual([]);
    });

    test('receivedAt set on arrival', async () => {
      const before = Date.now();
      await sendHit(collector);
      const after = Date.now();

      expect(collector.hits[0].receivedAt).toBeGreaterThanOrEqual(before);
      expect(collector.hits[0].receivedAt).toBeLessThanOrEqual(after);
    });

    test('X-WT headers fill visitor fields', async () => {
      await send(`${collector.url}/${TRACK_ID}/${lineFor('A-1')}`, {
        headers: { 'X-WT-IP': '198.51.100.4', 'X-WT-UA': 'Header/1.0' },
      });

      expect(collector.hits[0].ip).toBe('198.51.100.4');
      expect(collector.hits[0].userAgent).toBe('Header/1.0');
    });

    test('track ID list', async () => {
      const trackIds = `${TRACK_ID},999999999999999`;
      const reply = await send(`${collector.url}/${trackIds}/${SAMPLE_LINE}`);

      expect(reply.status).toBe(200);
      expect(collector.hits[0].trackId).toBe(trackIds);
    });

    test('invalid track ID returns 400', async () => {
      const reply = await send(`${collector.url}/12345/${SAMPLE_LINE}`);

      expect(reply.status).toBe(400);
      expect(reply.body.toString()).toBe(
        'invalid track ID "12345": expected 15 digits, or a comma-separated list of 15-digit IDs',
      );
      expect(collector.hits).toHaveLength(0);
    });
  });

  describe('batch POST', () => {
    test('3 lines give 3 hits', async () => {
      const reply = await sendBatch(collector, [lineFor('A-1'), lineFor('A-2'), lineFor('A-3')].join('\n'));

      expect(reply.status).toBe(200);
      expect(reply.body.length).toBe(0);
      expect(collector.hits.map((hit) => hit.order?.id)).toEqual(['A-1', 'A-2', 'A-3']);
      expect(collector.hits.map((hit) => hit.method)).toEqual(['POST', 'POST', 'POST']);
      expect(collector.hits.map((hit) => hit.line)).toEqual([lineFor('A-1'), lineFor('A-2'), lineFor('A-3')]);
    });

    test('CRLF and empty lines', async () => {
      await sendBatch(collector, `${lineFor('A-1')}\r\n\r\n${lineFor('A-2')}\r\n`);

      expect(collector.hits.map((hit) => hit.order?.id)).toEqual(['A-1', 'A-2']);
      expect(collector.hits.map((hit) => hit.problems)).toEqual([[], []]);
    });

    test('lines share receivedAt', async () => {
      await sendBatch(collector, [lineFor('A-1'), lineFor('A-2')].join('\n'));

      expect(collector.hits[1].receivedAt).toBe(collector.hits[0].receivedAt);
    });

    test('non-text body returns 415', async () => {
      const reply = await send(`${collector.url}/${TRACK_ID}/batch`, {
        method: 'POST',
        body: lineFor('A-1'),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });

      expect(reply.status).toBe(415);
      expect(reply.body.toString()).toBe('batch body must be text/plain, got application/x-www-form-urlencoded');
      expect(collector.hits).toHaveLength(0);
    });

    test('oversized body returns 413', async () => {
      const reply = await sendBatch(collector, 'x'.repeat(24 * 1024 * 1024 + 1));

      expect(reply.status).toBe(413);
      expect(reply.body.toString()).toBe('batch body exceeds 25165824 bytes');
      expect(collector.requests[0].status).toBe(413);
    });

    test('line with 200000 categories', async () => {
      const categories = Array.from({ length: 200_000 }, (_unused, index) => `ca${index + 1}=a`).join('&');
      const reply = await sendBatch(collector, `${lineFor('A-1')}&${categories}`);
      expect(reply.status).toBe(200);
      expect(collector.hits[0].problems).toContain('more than 1000 parameters, so the rest of the line is not decoded');
    });

    test('empty body returns 400', async () => {
      const reply = await sendBatch(collector, '\n\n');

      expect(reply.status).toBe(400);
      expect(reply.body.toString()).toBe('batch body contains no request lines');
    });
  });

  describe('routing', () => {
    test('unknown path returns 404', async () => {
      const reply = await send(`${collector.url}/${TRACK_ID}/other`);

      expect(reply.status).toBe(404);
      expect(reply.body.toString()).toBe(
        `not found: GET /${TRACK_ID}/other. Use GET /<trackId>/wt?p=... or POST /<trackId>/batch.`,
      );
    });

    test('GET batch returns 404', async () => {
      const reply = await send(`${collector.url}/${TRACK_ID}/batch`);

      expect(reply.status).toBe(404);
    });

    test('POST wt returns 404', async () => {
      const reply = await send(`${collector.url}/${TRACK_ID}/wt`, { method: 'POST', body: lineFor('A-1') });

      expect(reply.status).toBe(404);
    });
  });

  describe('requests', () => {
    test('records each request', async () => {
      await sendHit(collector);
      await sendBatch(collector, [lineFor('A-1'), lineFor('A-2')].join('\n'));
      await send(`${collector.url}/missing`);

      const requests = collector.requests.map(({ method, path, status, lineCount }) => ({
        method,
        path,
        status,
        lineCount,
      }));
      expect(requests).toEqual([
        { method: 'GET', path: `/${TRACK_ID}/wt`, status: 200, lineCount: 1 },
        { method: 'POST', path: `/${TRACK_ID}/batch`, status: 200, lineCount: 2 },
        { method: 'GET', path: '/missing', status: 404, lineCount: 0 },
      ]);
    });

    test('records a GET rejected for header size', async () => {
      const reply = await sendHit(collector, `${lineFor('BIG')}&cb1=${'x'.repeat(20_000)}`);

      expect(reply.status).toBe(431);
      const requests = collector.requests.map(({ method, path, status, lineCount }) => ({ method, path, status, lineCount }));
      expect(requests).toEqual([{ method: 'GET', path: `/${TRACK_ID}/wt`, status: 431, lineCount: 0 }]);
    });

    test('answers other malformed requests with 400', async () => {
      const reply = await sendRaw(collector, 'NOT HTTP\r\n\r\n');

      expect(reply.startsWith('HTTP/1.1 400 ')).toBe(true);
      expect(collector.requests).toHaveLength(0);
    });

    test('hits.json not recorded', async () => {
      await send(`${collector.url}/hits.json`);

      expect(collector.requests).toHaveLength(0);
    });
  });

  describe('hits.json', () => {
    test('lists hits newest first', async () => {
      await sendBatch(collector, [lineFor('A-1'), lineFor('A-2')].join('\n'));

      const reply = await send(`${collector.url}/hits.json`);

      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
      const hits = JSON.parse(reply.body.toString()) as Array<{ order: { id: string } }>;
      expect(hits.map((hit) => hit.order.id)).toEqual(['A-2', 'A-1']);
    });
  });

  describe('waitForHits', () => {
    test('resolves when hits arrive', async () => {
      const waiting = collector.waitForHits(2);
      await sendHit(collector);
      await sendHit(collector);

      const hits = await waiting;

      expect(hits).toHaveLength(2);
    });

    test('resolves at once when enough hits', async () => {
      await sendHit(collector);

      await expect(collector.waitForHits(1, { timeoutMs: 0 })).resolves.toHaveLength(1);
    });

    test('timeout names expected and received counts', async () => {
      await sendHit(collector);

      await expect(collector.waitForHits(3, { timeoutMs: 50 })).rejects.toThrow(
        'waitForHits timed out after 50 ms: expected 3 hits, received 1 ' +
          `(requests received: 1, last: GET /${TRACK_ID}/wt 200)`,
      );
    });

    test('timeout without requests', async () => {
      await expect(collector.waitForHits(1, { timeoutMs: 20 })).rejects.toThrow(
        'waitForHits timed out after 20 ms: expected 1 hits, received 0 (requests received: 0)',
      );
    });

    test('rejects on close', async () => {
      const waiting = collector.waitForHits(1);
      await collector.close();

      await expect(waiting).rejects.toThrow('waitForHits: the collector was closed, expected 1 hits, received 0');
    });

    test('invalid count rejected', async () => {
      await expect(collector.waitForHits(-1)).rejects.toThrow(
        'waitForHits: count must be a non-negative integer, got -1',
      );
    });
  });

  describe('respondWith', () => {
    test('status 503 times 2 then 200', async () => {
      collector.respondWith({ status: 503, times: 2, retryAfter: '7' });

      const first = await sendHit(collector);
      const second = await sendHit(collector);
      const third = await sendHit(collector);

      expect([first.status, second.status, third.status]).toEqual([503, 503, 200]);
      expect(first.headers['retry-after']).toBe('7');
      expect(third.headers['retry-after']).toBeUndefined();
      expect(collector.hits).toHaveLength(1);
      expect(collector.requests.map((request) => request.status)).toEqual([503, 503, 200]);
    });

    test('status applies until changed', async () => {
      collector.respondWith({ status: 500 });

      const replies = [await sendHit(collector), await sendHit(collector), await sendHit(collector)];

      expect(replies.map((reply) => reply.status)).toEqual([500, 500, 500]);
      expect(collector.hits).toHaveLength(0);
    });

    test('batch with 429 records no hits', async () => {
      collector.respondWith({ status: 429, times: 1 });

      const reply = await sendBatch(collector, [lineFor('A-1'), lineFor('A-2')].join('\n'));

      expect(reply.status).toBe(429);
      expect(collector.hits).toHaveLength(0);
      expect(collector.requests[0].lineCount).toBe(2);
    });

    test('status 204 records hits', async () => {
      collector.respondWith({ status: 204 });

      const reply = await sendHit(collector);

      expect(reply.status).toBe(204);
      expect(collector.hits).toHaveLength(1);
    });

    test('delayMs delays response', async () => {
      collector.respondWith({ delayMs: 300 });
      const started = Date.now();

      const replying = sendHit(collector);
      await waitUntil(() => collector.requests.length === 1);
      expect(collector.hits).toHaveLength(0);
      expect(collector.requests[0].status).toBeUndefined();

      const reply = await replying;
      // Node timers may fire up to 1 ms early because of millisecond rounding.
      expect(Date.now() - started).toBeGreaterThanOrEqual(299);
      expect(reply.status).toBe(200);
      expect(collector.hits).toHaveLength(1);
    });

    test('destroy resets the connection', async () => {
      collector.respondWith({ destroy: true, times: 1 });

      await expect(sendHit(collector)).rejects.toMatchObject({ code: 'ECONNRESET' });
      expect(collector.hits).toHaveLength(0);
      expect(collector.requests[0].status).toBeUndefined();

      const reply = await sendHit(collector);
      expect(reply.status).toBe(200);
    });

    test('client gone before delayed response', async () => {
      collector.respondWith({ delayMs: 200 });

      const request = http.request(`${collector.url}/${TRACK_ID}/${SAMPLE_LINE}`, { agent: false });
      request.on('error', () => undefined);
      request.end();
      await waitUntil(() => collector.requests.length === 1);
      request.destroy();
      await new Promise((resolve) => setTimeout(resolve, 300));

      expect(collector.hits).toHaveLength(0);
      expect(collector.requests[0].status).toBeUndefined();
    });

    test('invalid status rejected', () => {
      expect(() => collector.respondWith({ status: 99 })).toThrow(
        'respondWith: status must be an integer from 200 to 599, got 99',
      );
    });

    test('invalid times rejected', () => {
      expect(() => collector.respondWith({ times: 0 })).toThrow('respondWith: times must be a positive integer, got 0');
    });

    test.each(['\u0000', '\u20ac', 'a\tb', '7\r\n'])('retryAfter %j rejected', (retryAfter) => {
      expect(() => collector.respondWith({ status: 503, retryAfter })).toThrow(
        `respondWith: retryAfter must be a string of visible ASCII characters and spaces, got ${JSON.stringify(retryAfter)}`,
      );
    });

    test('serves after a rejected retryAfter', async () => {
      expect(() => collector.respondWith({ status: 503, retryAfter: '\u0000' })).toThrow(TypeError);
      expect((await sendHit(collector)).status).toBe(200);
    });

    test('unknown option rejected', () => {
      const behaviour = { statusCode: 500 } as unknown as Parameters<Collector['respondWith']>[0];

      expect(() => collector.respondWith(behaviour)).toThrow(
        'respondWith: unknown option "statusCode". Valid options: status, delayMs, times, retryAfter, destroy',
      );
    });
  });

  describe('reset', () => {
    test('clears hits, requests and behaviour', async () => {
      await sendHit(collector);
      collector.respondWith({ status: 503 });

      collector.reset();

      expect(collector.hits).toHaveLength(0);
      expect(collector.requests).toHaveLength(0);
      const reply = await sendHit(collector);
      expect(reply.status).toBe(200);
    });

    test('drops hits of a delayed request', async () => {
      collector.respondWith({ delayMs: 100 });
      const replying = sendHit(collector);
      await waitUntil(() => collector.requests.length === 1);

      collector.reset();
      const reply = await replying;

      expect(reply.status).toBe(200);
      expect(collector.hits).toHaveLength(0);
    });
  });

  describe('close', () => {
    test('finishes promptly with a pending delayed request', async () => {
      collector.respondWith({ delayMs: 20000 });
      const replying = sendHit(collector);
      replying.catch(() => undefined);
      await waitUntil(() => collector.requests.length === 1);

      const started = Date.now();
      await collector.close();

      expect(Date.now() - started).toBeLessThan(1000);
      await expect(replying).rejects.toMatchObject({ code: 'ECONNRESET' });
    });

    test('closes keep-alive sockets', async () => {
      const agent = new http.Agent({ keepAlive: true });
      await new Promise<void>((resolve, reject) => {
        http
          .get(`${collector.url}/${TRACK_ID}/${SAMPLE_LINE}`, { agent }, (res) => {
            res.resume();
            res.on('end', resolve);
          })
          .on('error', reject);
      });

      const started = Date.now();
      await collector.close();

      expect(Date.now() - started).toBeLessThan(1000);
      agent.destroy();
    });

    test('second close resolves', async () => {
      await collector.close();

      await expect(collector.close()).resolves.toBeUndefined();
    });

    test('refuses new connections', async () => {
      const url = collector.url;
      await collector.close();

      await expect(send(`${url}/${TRACK_ID}/${SAMPLE_LINE}`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    });
  });
});
