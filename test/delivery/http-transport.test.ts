import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { createHttpTransport, MAX_GET_URL_BYTES, MAX_RESPONSE_BYTES, type Transport } from '../../src/delivery/transport';
import { startCollector, type Collector } from '../../src/testing';

const TRACK_ID = '111111111111111';

let collector: Collector | undefined;
let server: { close(): Promise<void> } | undefined;
let transport: Transport | undefined;

afterEach(async () => {
  transport?.close();
  await collector?.close();
  await server?.close();
  transport = undefined;
  collector = undefined;
  server = undefined;
});

function transportTo(trackDomain: string, timeoutMs = 2000): Transport {
  transport = createHttpTransport({ trackId: TRACK_ID, trackDomain, secure: false, timeoutMs });
  return transport;
}

function hitLine(orderId: string, padding = 0): string {
  return `wt?p=600,order.s2s.confirmation,,,,,1733300000000,0,,&ov=1&oi=${orderId}&cb1=${'x'.repeat(padding)}`;
}

/** Start a server on 127.0.0.1 that responds to every request with `respond`, and destroys its sockets at close. */
async function startServer(respond: http.RequestListener): Promise<string> {
  const sockets = new Set<Socket>();
  const httpServer = http.createServer(respond);
  httpServer.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  server = {
    close: () => new Promise<void>((resolve) => {
      httpServer.close(() => resolve());
      sockets.forEach((socket) => socket.destroy());
    }),
  };
  return `127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
}

describe('HTTP transport', () => {
  it('sends a short lone hit as GET', async () => {
    collector = await startCollector();

    const result = await transportTo(collector.trackDomain).send([hitLine('SHORT')]);

    expect(result.status).toBe(200);
    expect(collector.requests.map((request) => request.method)).toEqual(['GET']);
  });

  it('posts a long lone hit as a batch', async () => {
    collector = await startCollector();
    const line = hitLine('LONG', 20_000);

    const result = await transportTo(collector.trackDomain).send([line]);

    expect(result.status).toBe(200);
    expect(collector.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`POST /${TRACK_ID}/batch`]);
    expect(collector.hits.map((hit) => hit.order?.id)).toEqual(['LONG']);
  });

  it('keeps GET up to the URL limit', async () => {
    collector = await startCollector();
    const base = `http://${collector.trackDomain}/${TRACK_ID}/`;
    const line = hitLine('EDGE');
    const exact = line + 'x'.repeat(MAX_GET_URL_BYTES - Buffer.byteLength(base + line));

    await transportTo(collector.trackDomain).send([exact]);
    await transport!.send([`${exact}x`]);

    expect(collector.requests.map((request) => request.method)).toEqual(['GET', 'POST']);
  });

  it('cancels a trickling response at timeoutMs', async () => {
    const trackDomain = await startServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'image/gif' });
      const trickle = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(trickle));
      setTimeout(() => res.end(), 3000).unref();
    });

    const result = await transportTo(trackDomain, 300).send([hitLine('SLOW')]);

    expect(result.status).toBeUndefined();
    expect(result.error?.message).toBe('the request timed out: no complete response within timeoutMs (300 ms)');
  });

  it('fails on a response body over 64 KiB', async () => {
    const trackDomain = await startServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'image/gif' }).end(Buffer.alloc(MAX_RESPONSE_BYTES + 1));
    });

    const result = await transportTo(trackDomain).send([hitLine('HUGE')]);

    expect(result.status).toBeUndefined();
    expect(result.error?.message).toBe(`maxContentLength size of ${MAX_RESPONSE_BYTES} exceeded`);
  });

  it('reads Retry-After seconds', async () => {
    collector = await startCollector();
    collector.respondWith({ status: 503, retryAfter: '30' });

    const result = await transportTo(collector.trackDomain).send([hitLine('LATER')]);

    expect(result).toEqual({ status: 503, retryAfterMs: 30_000 });
  });

  it.each(['1.5', '5, 10', '-1'])('ignores Retry-After %p', async (retryAfter) => {
    collector = await startCollector();
    collector.respondWith({ status: 503, retryAfter });

    const result = await transportTo(collector.trackDomain).send([hitLine('JUNK')]);

    expect(result).toEqual({ status: 503, retryAfterMs: undefined });
  });
});
