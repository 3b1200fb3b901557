import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { collectorPages } from './collector-page';
import { decodeHitLine, type CollectedHit } from './decode';

export interface CollectorOptions {
  /** TCP port to listen on. Default 0, which lets the operating system pick a free port. */
  port?: number;
  /** Address to listen on. Default `'127.0.0.1'`. */
  host?: string;
}

/** Fault to inject into the responses to tracking requests (`/<trackId>/wt` and `/<trackId>/batch`). */
export interface CollectorBehaviour {
  /** HTTP status of the response. Default 200. Hits are recorded only when the status is 2xx. */
  status?: number;
  /** Time in ms to wait before responding. Hits are recorded when the response is sent, not on arrival. */
  delayMs?: number;
  /**
   * Number of tracking requests this behaviour applies to before the collector responds with 200 again.
   * Default: until changed.
   */
  times?: number;
  /** Value of a `Retry-After` header added to the response: visible ASCII characters and spaces. */
  retryAfter?: string;
  /** Destroy the socket instead of responding, after `delayMs` if set, so the client sees a connection reset. */
  destroy?: boolean;
}

/**
 * One HTTP request that the collector received, except requests for its own views such as `/hits.json`.
 * A request whose request line and headers exceed Node's header size limit (16 KiB by default) is
 * recorded too, with status 431.
 */
export interface CollectedRequest {
  /** Request method; empty when the collector rejected the request before it could read its request line. */
  readonly method: string;
  /** Request path without the query string; empty when the method is. */
  readonly path: string;
  /**
   * Status of the collector's response. Undefined while a delayed response is pending, after a `destroy`
   * behaviour, and when the client closed the connection before the response was sent.
   */
  readonly status: number | undefined;
  /** Number of tracking request lines the request carried: 1 for a GET hit, the non-empty lines of a batch. */
  readonly lineCount: number;
  /** Epoch milliseconds at which the request arrived. */
  readonly receivedAt: number;
}

export interface WaitForHitsOptions {
  /** Time in ms after which the returned promise rejects. Default 5000. */
  timeoutMs?: number;
}

/** A local HTTP server that accepts Mapp tracking requests and records the decoded hits. */
export interface Collector {
  /** Base URL, such as `'http://127.0.0.1:40123'`. */
  readonly url: string;
  readonly port: number;
  /** `host:port`, to pass as `createTracker({ trackDomain, secure: false })`. */
  readonly trackDomain: string;
  /** Recorded hits in arrival order, as a snapshot. */
  readonly hits: ReadonlyArray<CollectedHit>;
  /** Received requests in arrival order, as a snapshot. */
  readonly requests: ReadonlyArray<CollectedRequest>;
  /**
   * Resolves with all recorded hits once at least `count` hits are recorded. Rejects when `timeoutMs` passes first,
   * or when the collector is closed.
   */
  waitForHits(count: number, options?: WaitForHitsOptions): Promise<CollectedHit[]>;
  /** Replaces the current fault injection. */
  respondWith(behaviour: CollectorBehaviour): void;
  /** Clears hits, requests and behaviour. Requests still waiting for a delayed response record no hits. */
  reset(): void;
  /** Stops the server, destroys every open socket and cancels pending delayed responses. */
  close(): Promise<void>;
}

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_WAIT_TIMEOUT_MS = 5000;

const TRACK_ID_LIST_PATTERN = /^\d{15}(?:,\d{15})*$/;

// NOTE: the official libraries reject batches of 24 MiB or more, but Mapp's own limit on the batch
// endpoint is not documented.
const MAX_BATCH_BODY_BYTES = 24 * 1024 * 1024;

/** 1x1 GIF89a whose only pixel is transparent, as Mapp's track servers send in response to a pixel request. */
const TRANSPARENT_GIF = Buffer.from(
  '47494638396101000100800000000000ffffff21f90401000000002c000000000100010000020144003b',
  'hex',
);

/** Statuses whose responses must not have a body. */
const STATUSES_WITHOUT_BODY = new Set([204, 205]);

const BEHAVIOUR_KEYS = new Set(['status', 'delayMs', 'times', 'retryAfter', 'destroy']);

/** Starts a collector on 127.0.0.1 (or `options.host`) and resolves once it is listening. */
export async function startCollector(options: CollectorOptions = {}): Promise<Collector> {
  const port = options.port ?? 0;
  const host = options.host ?? DEFAULT_HOST;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`startCollector: port must be an integer from 0 to 65535, got ${JSON.stringify(port)}`);
  }
  if (typeof host !== 'string' || host === '') {
    throw new TypeError(`startCollector: host must be a non-empty string, got ${JSON.stringify(host)}`);
  }

  const collector = new LocalCollector(host);
  await collector.listen(port);
  return collector;
}

type TrackingRoute =
  | { kind: 'hit'; trackId: string }
  | { kind: 'batch'; trackId: string }
  | { kind: 'rejected'; status: number; message: string };

/** Matches `/<trackId>/wt` (GET) and `/<trackId>/batch` (POST). Every other request is rejected. */
function routeTrackingRequest(method: string, path: string): TrackingRoute {
  const segments = path.split('/');
  const endpoint = segments[2];
  const usage = 'Use GET /<trackId>/wt?p=... or POST /<trackId>/batch.';

  const isHit = endpoint === 'wt' && method === 'GET';
  const isBatch = endpoint === 'batch' && method === 'POST';
  if (segments.length !== 3 || segments[0] !== '' || (!isHit && !isBatch)) {
    return { kind: 'rejected', status: 404, message: `not found: ${method} ${path}. ${usage}` };
  }

  let trackId: string;
  try {
    // Clients may percent-encode the commas of a track ID list.
    trackId = decodeURIComponent(segments[1]);
  } catch {
    trackId = segments[1];
  }
  if (!TRACK_ID_LIST_PATTERN.test(trackId)) {
    return {
      kind: 'rejected',
      status: 400,
      message: `invalid track ID "${trackId}": expected 15 digits, or a comma-separated list of 15-digit IDs`,
    };
  }

  return isHit ? { kind: 'hit', trackId } : { kind: 'batch', trackId };
}

interface RequestRecord {
  method: string;
  path: string;
  status: number | undefined;
  lineCount: number;
  receivedAt: number;
}

interface HitWaiter {
  count: number;
  resolve: (hits: CollectedHit[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface ActiveBehaviour {
  behaviour: CollectorBehaviour;
  /** Requests left before the default response returns, or undefined for no limit. */
  remaining: number | undefined;
}

class LocalCollector implements Collector {
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly pendingResponses = new Set<NodeJS.Timeout>();
  private readonly waiters = new Set<HitWaiter>();

  private hitLog: CollectedHit[] = [];
  private requestLog: RequestRecord[] = [];
  private activeBehaviour: ActiveBehaviour | undefined;
  /** Incremented by reset(), so that requests received before a reset record no hits after it. */
  private generation = 0;
  private closing: Promise<void> | undefined;
  private listeningPort = 0;

  constructor(private readonly host: string) {
    this.server = http.createServer((req, res) => this.handleRequest(req, res));
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('clientError', (error: ClientError, socket: Socket) => this.handleClientError(error, socket));
  }

  get port(): number {
    return this.listeningPort;
  }

  get trackDomain(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `${host}:${this.listeningPort}`;
  }

  get url(): string {
    return `http://${this.trackDomain}`;
  }

  get hits(): ReadonlyArray<CollectedHit> {
    return this.hitLog.slice();
  }

  get requests(): ReadonlyArray<CollectedRequest> {
    return this.requestLog.map((record) => ({ ...record }));
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, this.host, () => {
        this.server.off('error', onError);
        this.listeningPort = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  waitForHits(count: number, options: WaitForHitsOptions = {}): Promise<CollectedHit[]> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
    if (!Number.isInteger(count) || count < 0) {
      return Promise.reject(
        new RangeError(`waitForHits: count must be a non-negative integer, got ${JSON.stringify(count)}`),
      );
    }
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
      return Promise.reject(
        new RangeError(`waitForHits: timeoutMs must be a non-negative number, got ${JSON.stringify(timeoutMs)}`),
      );
    }
    if (this.hitLog.length >= count) {
      return Promise.resolve(this.hitLog.slice());
    }
    if (this.closing !== undefined) {
      return Promise.reject(
        new Error(`waitForHits: the collector is closed, expected ${count} hits, received ${this.hitLog.length}`),
      );
    }

    return new Promise((resolve, reject) => {
      const waiter: HitWaiter = {
        count,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(
            new Error(
              `waitForHits timed out after ${timeoutMs} ms: expected ${count} hits, received ${this.hitLog.length} ` +
                `(${this.describeRecentRequests()})`,
            ),
          );
        }, timeoutMs),
      };
      waiter.timer.unref();
      this.waiters.add(waiter);
    });
  }

  respondWith(behaviour: CollectorBehaviour): void {
    validateBehaviour(behaviour);
    this.activeBehaviour = { behaviour: { ...behaviour }, remaining: behaviour.times };
  }

  reset(): void {
    this.hitLog = [];
    this.requestLog = [];
    this.activeBehaviour = undefined;
    this.generation++;
  }

  close(): Promise<void> {
    if (this.closing !== undefined) {
      return this.closing;
    }

    this.closing = new Promise((resolve) => {
      for (const timer of this.pendingResponses) {
        clearTimeout(timer);
      }
      this.pendingResponses.clear();

      for (const waiter of this.waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(
          new Error(
            `waitForHits: the collector was closed, expected ${waiter.count} hits, received ${this.hitLog.length}`,
          ),
        );
      }
      this.waiters.clear();

      // The callback runs once every connection is gone, which the loop below forces, including
      // keep-alive sockets and sockets whose delayed response was just cancelled.
      this.server.close(() => resolve());
      for (const socket of this.sockets) {
        socket.destroy();
      }
    });
    return this.closing;
  }

  private handleRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const receivedAt = Date.now();
    const method = req.method ?? '';
    const url = req.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart >= 0 ? url.slice(0, queryStart) : url;

    const page = method === 'GET' ? collectorPages.get(path) : undefined;
    if (page !== undefined) {
      res.writeHead(200, { 'Content-Type': page.contentType, 'Cache-Control': 'no-store' });
      res.end(page.render(this.hitLog));
      return;
    }

    const record: RequestRecord = { method, path, status: undefined, lineCount: 0, receivedAt };
    this.requestLog.push(record);

    const route = routeTrackingRequest(method, path);
    if (route.kind === 'rejected') {
      req.resume();
      sendTextResponse(res, record, route.status, route.message);
      return;
    }

    if (route.kind === 'hit') {
      const line = queryStart >= 0 ? `wt${url.slice(queryStart)}` : 'wt';
      record.lineCount = 1;
      req.resume();
      this.respondToTrackingRequest(req, res, record, 'hit', () => [
        decodeHitLine(line, { trackId: route.trackId, method: 'GET', receivedAt, headers: req.headers }),
      ]);
      return;
    }

    const contentType = req.headers['content-type'];
    const mediaType = contentType?.split(';')[0].trim().toLowerCase();
    if (mediaType !== undefined && mediaType !== 'text/plain') {
      req.resume();
      sendTextResponse(res, record, 415, `batch body must be text/plain, got ${contentType}`);
      return;
    }

    readBody(req, MAX_BATCH_BODY_BYTES, (body) => {
      if (body === undefined) {
        sendTextResponse(res, record, 413, `batch body exceeds ${MAX_BATCH_BODY_BYTES} bytes`);
        return;
      }

      // Lines end in \n, or in \r\n from senders on Windows.
      const lines = body.split(/\r?\n/).filter((line) => line.trim() !== '');
      record.lineCount = lines.length;
      if (lines.length === 0) {
        sendTextResponse(res, record, 400, 'batch body contains no request lines');
        return;
      }

      this.respondToTrackingRequest(req, res, record, 'batch', () =>
        lines.map((line) =>
          decodeHitLine(line, { trackId: route.trackId, method: 'POST', receivedAt, headers: req.headers }),
        ),
      );
    });
  }

  /**
   * Records a request that Node's HTTP parser rejected for the size of its request line and headers, so a
   * too long GET shows up in `requests`. Then responds as Node does by default: 431 for that, 400 for any
   * other malformed request.
   */
  private handleClientError(error: ClientError, socket: Socket): void {
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    if (tooLarge) {
      this.requestLog.push({ ...readRequestLine(error.rawPacket), status: 431, lineCount: 0, receivedAt: Date.now() });
    }
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(tooLarge
      ? 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n'
      : 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  }

  /** Responds to a valid tracking request under the current behaviour, and records its hits when the status is 2xx. */
  private respondToTrackingRequest(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: RequestRecord,
    endpoint: 'hit' | 'batch',
    decodeHits: () => CollectedHit[],
  ): void {
    const behaviour = this.takeBehaviour();
    const generation = this.generation;

    const sendResponse = (): void => {
      if (res.destroyed) {
        return;
      }
      if (behaviour.destroy === true) {
        req.socket.destroy();
        return;
      }

      const status = behaviour.status ?? 200;
      const isSuccess = status >= 200 && status < 300;
      if (isSuccess && generation === this.generation) {
        // Recorded before the response is written, so a client that reads collector.hits right after its
        // response arrives finds them there.
        this.recordHits(decodeHits());
      }

      record.status = status;
      if (behaviour.retryAfter !== undefined) {
        res.setHeader('Retry-After', behaviour.retryAfter);
      }
      if (STATUSES_WITHOUT_BODY.has(status)) {
        res.writeHead(status).end();
      } else if (!isSuccess) {
        res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${status} set by respondWith`);
      } else if (endpoint === 'hit') {
        res.writeHead(status, { 'Content-Type': 'image/gif', 'Cache-Control': 'no-store' }).end(TRANSPARENT_GIF);
      } else {
        res.writeHead(status).end();
      }
    };

    const delayMs = behaviour.delayMs ?? 0;
    if (delayMs === 0) {
      sendResponse();
      return;
    }

    const timer = setTimeout(() => {
      this.pendingResponses.delete(timer);
      sendResponse();
    }, delayMs);
    timer.unref();
    this.pendingResponses.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      this.pendingResponses.delete(timer);
    });
  }

  /** Returns the behaviour for the next tracking request and counts it against `times`. */
  private takeBehaviour(): CollectorBehaviour {
    const active = this.activeBehaviour;
    if (active === undefined) {
      return {};
    }
    if (active.remaining !== undefined) {
      active.remaining--;
      if (active.remaining <= 0) {
        this.activeBehaviour = undefined;
      }
    }
    return active.behaviour;
  }

  private recordHits(hits: CollectedHit[]): void {
    // A loop rather than push(...hits), because a large batch would exceed the engine's argument limit.
    for (const hit of hits) {
      this.hitLog.push(hit);
    }
    for (const waiter of this.waiters) {
      if (this.hitLog.length >= waiter.count) {
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
        waiter.resolve(this.hitLog.slice());
      }
    }
  }

  /** Summarises the last few requests, so a timed-out wait shows whether anything arrived and which status it got. */
  private describeRecentRequests(): string {
    if (this.requestLog.length === 0) {
      return 'requests received: 0';
    }
    const shown = this.requestLog.slice(-5).map((record) => {
      const status = record.status === undefined ? 'no response' : String(record.status);
      return `${record.method} ${record.path} ${status}`;
    });
    return `requests received: ${this.requestLog.length}, last: ${shown.join(', ')}`;
  }
}

function validateBehaviour(behaviour: CollectorBehaviour): void {
  if (typeof behaviour !== 'object' || behaviour === null) {
    throw new TypeError(`respondWith: behaviour must be an object, got ${JSON.stringify(behaviour)}`);
  }
  for (const key of Object.keys(behaviour)) {
    if (!BEHAVIOUR_KEYS.has(key)) {
      throw new TypeError(`respondWith: unknown option "${key}". Valid options: ${[...BEHAVIOUR_KEYS].join(', ')}`);
    }
  }

  const { status, delayMs, times, retryAfter, destroy } = behaviour;
  if (status !== undefined && (!Number.isInteger(status) || status < 200 || status > 599)) {
    throw new RangeError(`respondWith: status must be an integer from 200 to 599, got ${JSON.stringify(status)}`);
  }
  if (delayMs !== undefined && (!Number.isFinite(delayMs) || delayMs < 0)) {
    throw new RangeError(`respondWith: delayMs must be a non-negative number, got ${JSON.stringify(delayMs)}`);
  }
  if (times !== undefined && (!Number.isInteger(times) || times < 1)) {
    throw new RangeError(`respondWith: times must be a positive integer, got ${JSON.stringify(times)}`);
  }
  // Node's setHeader throws on control characters and on most non-ASCII ones, and would do so only at the
  // next request, far from the mistake. Visible ASCII and spaces are all a Retry-After value needs.
  if (retryAfter !== undefined && (typeof retryAfter !== 'string' || !/^[\x20-\x7E]*$/.test(retryAfter))) {
    throw new TypeError(
      `respondWith: retryAfter must be a string of visible ASCII characters and spaces, got ${JSON.stringify(retryAfter)}`,
    );
  }
  if (destroy !== undefined && typeof destroy !== 'boolean') {
    throw new TypeError(`respondWith: destroy must be a boolean, got ${JSON.stringify(destroy)}`);
  }
}

/** Error of Node's HTTP parser; `rawPacket` contains the bytes it was parsing when it failed. */
type ClientError = NodeJS.ErrnoException & { rawPacket?: Buffer };

/** Reads method and path from the start of a rejected request, or returns them empty when it does not start with a request line. */
function readRequestLine(rawPacket: Buffer | undefined): { method: string; path: string } {
  const start = rawPacket?.subarray(0, 8192).toString('latin1') ?? '';
  const match = /^([A-Z]+) ([^?\s]*)/.exec(start);
  return match === null ? { method: '', path: '' } : { method: match[1], path: match[2] };
}

function sendTextResponse(res: http.ServerResponse, record: RequestRecord, status: number, message: string): void {
  record.status = status;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(message);
}

/**
 * Reads the body as UTF-8 and passes it to `onBody`, or passes undefined once it exceeds `maxBytes`.
 * The rest of an oversized body is drained and dropped, so the client can still read the response.
 */
function readBody(req: http.IncomingMessage, maxBytes: number, onBody: (body: string | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;

  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) {
      tooLarge = true;
      chunks.length = 0;
    } else if (!tooLarge) {
      chunks.push(chunk);
    }
  });
  req.on('end', () => onBody(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
}
