import { randomUUID } from 'node:crypto';
import path from 'node:path';

import Joi from 'joi';

import type { RetrySettings } from './delivery/backoff';
import { createDelivery } from './delivery/create-delivery';
import { TrackerClosedError } from './delivery/errors';
import type { TrackerEventListener, TrackerEventName } from './delivery/events';
import type { DeliveryStats } from './delivery/stats';
import { createHttpTransport, type Transport } from './delivery/transport';
import type { DeadLetter } from './delivery/types';
import { createConsoleLogger, createSafeLogger, isLogger, type Logger } from './logger';
import { InvalidOptionError, validateOptions } from './options';
import { createOrderClaims, objectWithMethods } from './order-claims';
import { DEFAULT_EID_COOKIES, isValidEid, TRACK_ID_PATTERN, type EidCookieSource } from './protocol/eid';
import { buildHit, MAX_HIT_BYTES } from './protocol/hit';
import { DEFAULT_OPT_OUT_COOKIES } from './protocol/opt-out';
import { normalizeOrder, type NormalizedOrder, type Order } from './protocol/order';
import { normalizeIp, type Visitor, type VisitorContext } from './protocol/visitor';
import { isUsableSessionKey, SESSION_KEY_RULE } from './session-keys';
import { MemoryClaimStore, MemoryVisitorStore } from './stores/memory';
import type { ClaimStore, VisitorStore } from './stores/types';
import { isTrackDomain, TRACK_DOMAIN_RULE } from './track-domain';

/** Options of createTracker. Every option left `undefined` takes its default. */
export interface TrackerOptions {
  /** Mapp track ID: 15 digits. */
  trackId: string;
  /** Track domain: a host name, IPv4 or `[IPv6]`, with an optional `:port`, such as `q3.webtrekk.net`. */
  trackDomain: string;
  /** Send over https (default true). `false` sends plain http, meant for a local collector. */
  secure?: boolean;
  /** Page name (content ID) of the order hit (default `order.s2s.confirmation`); use one that no page uses. */
  contentId?: string;
  /** Time limit of one request to the track server, in milliseconds (default 10000). */
  timeoutMs?: number;
  /** Cookies the Ever ID is read from, in order of priority (default `['wtstp_eid', 'wteid', 'wt3_eid']`). */
  eidCookies?: readonly EidCookieSource[];
  /** Session key of the captured Ever ID (default `webtrekk_eid`, the name Mapp's guide uses). */
  sessionKey?: string;
  /** Session key of the captured IP, user agent and client hints (default `mapp_s2s_visitor`). */
  visitorSessionKey?: string;
  /** Maximum number of hits in one batch request (default 100). */
  maxBatchSize?: number;
  /** Maximum size of one batch request body in bytes (default 1048576, 1 MiB). */
  maxBatchBytes?: number;
  /** Retry timing of failed requests. */
  retry?: RetryOptions;
  /**
   * Directory of the durable spool. Each accepted hit is written there before trackOrder resolves and
   * removed once delivered. Without it, hits wait in memory only.
   */
  spoolDir?: string;
  /** Maximum number of hits in memory (default 10000). Beyond it, hits wait in the spool or, without one, are rejected. */
  maxQueue?: number;
  /**
   * pino-compatible logger (default: the console). A call that throws is dropped, and the first such
   * failure is reported once as a process warning with the code `MAPP_S2S_LOGGER_FAILED`.
   */
  logger?: Logger;
  /** Replaces the HTTP transport; for tests of delivery timing. */
  transport?: Transport;
  /** Store of order ID claims, so each order is sent once (default: a MemoryClaimStore). */
  claimStore?: ClaimStore;
  /** Store of visitors by order ID, written at checkout (default: a MemoryVisitorStore). */
  visitorStore?: VisitorStore;
  /** How long an order ID stays claimed, in milliseconds (default 30 days). */
  claimTtlMs?: number;
  /** How long a visitor stays stored by order ID, in milliseconds (default 7 days). */
  visitorTtlMs?: number;
  /** Cookies whose presence means the shopper opted out (default `['webtrekkOptOut', 'miCookieOptOut']`). */
  optOutCookies?: readonly string[];
}

/** Retry timing of createTracker. Every field left `undefined` takes its default. */
export interface RetryOptions {
  /** Minimum wait before a retry, in milliseconds (default 1000). */
  minDelayMs?: number;
  /** Maximum wait before a retry, and the cap on a `Retry-After` header, in milliseconds (default 60000). */
  maxDelayMs?: number;
  /** A hit still failing this long after it was queued becomes a dead letter, in milliseconds (default 86400000, one day). */
  maxAgeMs?: number;
}

/** Options of `tracker.close()`. */
export interface CloseOptions {
  /** How long to keep delivering, in milliseconds: a whole number from 0 to 2147483647 (default 10000). */
  timeoutMs?: number;
}

/** The resolved settings that the framework adapters read. */
export interface TrackerSettings {
  readonly trackId: string;
  readonly trackDomain: string;
  readonly secure: boolean;
  readonly contentId: string;
  readonly timeoutMs: number;
  readonly eidCookies: readonly EidCookieSource[];
  readonly sessionKey: string;
  readonly visitorSessionKey: string;
  readonly maxBatchSize: number;
  readonly claimTtlMs: number;
  readonly visitorTtlMs: number;
  readonly optOutCookies: readonly string[];
  readonly maxBatchBytes: number;
  readonly retry: Readonly<RetrySettings>;
  /** Absolute path of the spool directory, or undefined when hits wait in memory only. */
  readonly spoolDir: string | undefined;
  readonly maxQueue: number;
}

/** Origin of an order's visitor data: the session, the visitor store, this request, the caller, or none. */
export type VisitorSource = 'session' | 'orderStore' | 'request' | 'caller' | 'none';

export interface TrackOrderOptions {
  /** Origin of the visitor data, reported back in the result. */
  visitorSource?: VisitorSource;
}

export interface TrackResult {
  /** `queued`: the hit is on its way. `duplicate`: the order ID is already claimed, so nothing is sent. */
  status: 'queued' | 'duplicate';
  orderId: string;
  visitorSource: VisitorSource;
}

export interface Tracker {
  readonly settings: TrackerSettings;
  /** The injected logger, wrapped so that no call throws. */
  readonly logger: Logger;
  /**
   * Validate the order, claim its ID, build its hit and queue it. Resolves once queued (with a spool: once
   * on disk and flushed), not once delivered, and with status `duplicate` when the order ID is already
   * claimed. Rejects with InvalidOrderError when the order is invalid, with QueueFullError when memory is
   * full and there is no spool, and with the file system's error when the spool cannot be written.
   */
  trackOrder(order: Order, visitor?: Visitor, options?: TrackOrderOptions): Promise<TrackResult>;
  /**
   * Store the visitor of an order for visitorTtlMs, so a later webhook or cookieless return finds it. An
   * opted-out visitor is stored as opted out only, without EID, IP or user agent.
   */
  saveVisitor(orderId: string, context: VisitorContext): Promise<void>;
  /** Look up the visitor stored for an order; undefined when none is stored or it has expired. */
  findVisitor(orderId: string): Promise<VisitorContext | undefined>;
  /** Send what is queued now, skipping a retry wait. Resolves when nothing is left or a request failed. */
  flush(): Promise<void>;
  /**
   * Stop taking orders and keep delivering, retries included, for at most timeoutMs (default 10000). A
   * retry waits at most 1 second meanwhile. Hits left stay in the spool; without one they are dropped and
   * logged. Rejects with InvalidOptionError when timeoutMs is not a whole number from 0 to 2147483647.
   */
  close(options?: CloseOptions): Promise<void>;
  /** Listen to a delivery event: `queued`, `sent`, `retry`, `rejected` or `dropped`. */
  on<E extends TrackerEventName>(event: E, listener: TrackerEventListener<E>): Tracker;
  once<E extends TrackerEventName>(event: E, listener: TrackerEventListener<E>): Tracker;
  off<E extends TrackerEventName>(event: E, listener: TrackerEventListener<E>): Tracker;
  /** Counters and queue sizes of delivery, for metrics. */
  stats(): DeliveryStats;
  /** Hits that are no longer retried: rejected by the track server, or older than `retry.maxAgeMs`. */
  deadLetters(): Promise<DeadLetter[]>;
  /**
   * Queue every dead letter again (without a spool, as many as memory has room for), each after claiming its
   * order ID again. A dead letter whose order ID a later trigger has claimed and sent meanwhile is discarded.
   * Resolves with how many were queued.
   */
  retryDeadLetters(): Promise<number>;
}

const DAY_MS = 24 * 3_600_000;

const DEFAULTS = {
  secure: true,
  contentId: 'order.s2s.confirmation',
  timeoutMs: 10_000,
  eidCookies: DEFAULT_EID_COOKIES,
  sessionKey: 'webtrekk_eid',
  visitorSessionKey: 'mapp_s2s_visitor',
  maxBatchSize: 100,
  claimTtlMs: 30 * DAY_MS,
  visitorTtlMs: 7 * DAY_MS,
  optOutCookies: DEFAULT_OPT_OUT_COOKIES,
  maxBatchBytes: 1024 * 1024,
  maxQueue: 10_000,
  // NOTE: how old a `p` time Mapp still accepts is not documented, so the one-day maxAgeMs is a guess.
  retry: { minDelayMs: 1000, maxDelayMs: 60_000, maxAgeMs: DAY_MS },
};


const sessionKey = Joi.string().min(1).max(100).custom((key: string) => {
  if (!isUsableSessionKey(key)) {
    throw new Error('reserved session key');
  }
  return key;
}).description(SESSION_KEY_RULE);
const ttlMs = Joi.number().integer().min(1000).max(365 * DAY_MS)
  .description('a whole number of milliseconds from 1000 (1 second) to 31536000000 (365 days)');

const trackerSchema = Joi.object({
  trackId: Joi.string().pattern(TRACK_ID_PATTERN).required()
    .description('a string of exactly 15 digits, such as "111111111111111"'),
  trackDomain: Joi.string().custom((domain: string) => {
    if (!isTrackDomain(domain)) {
      throw new Error('invalid track domain');
    }
    return domain;
  }).required().description(TRACK_DOMAIN_RULE),
  secure: Joi.boolean().description('true (https, the default) or false (plain http, for a local collector)'),
  contentId: Joi.string().min(1).max(255).custom((name: string) => {
    if (!name.isWellFormed()) {
      throw new Error('lone surrogate');
    }
    return name;
  }).description('a non-empty page name of at most 255 characters of well-formed Unicode (no lone surrogate)'),
  timeoutMs: Joi.number().integer().min(100).max(120_000).description('a whole number of milliseconds from 100 to 120000'),
  eidCookies: Joi.array().items(Joi.string().valid('wtstp_eid', 'wteid', 'wt3_eid')).min(1).unique()
    .description('a non-empty array of "wtstp_eid", "wteid" and "wt3_eid", each at most once'),
  sessionKey,
  visitorSessionKey: sessionKey,
  maxBatchSize: Joi.number().integer().min(1).max(10_000).description('a whole number from 1 to 10000'),
  // Mapp's own libraries refuse batch bodies of 24 MiB or more.
  maxBatchBytes: Joi.number().integer().min(1024).max(24 * 1024 * 1024 - 1)
    .description('a whole number of bytes from 1024 to 25165823'),
  retry: Joi.object({
    minDelayMs: Joi.number().integer().min(1).max(600_000).description('a whole number of milliseconds from 1 to 600000'),
    maxDelayMs: Joi.number().integer().min(1).max(DAY_MS).description('a whole number of milliseconds from 1 to 86400000'),
    maxAgeMs: Joi.number().integer().min(1).max(365 * DAY_MS)
      .description('a whole number of milliseconds from 1 to 31536000000 (365 days)'),
  }).description('an object { minDelayMs, maxDelayMs, maxAgeMs } of whole numbers of milliseconds'),
  spoolDir: Joi.string().min(1).description('a directory path, such as "/var/spool/mapp-s2s"; it is created when missing'),
  maxQueue: Joi.number().integer().min(1).max(10_000_000).description('a whole number from 1 to 10000000'),
  logger: Joi.any().custom((value: unknown) => {
    if (!isLogger(value)) {
      throw new Error('not a logger');
    }
    return value;
  }).description('an object with debug, info, warn and error methods, such as a pino logger'),
  transport: objectWithMethods(['send', 'close'], '{ send: async (lines) => ({ status: 200 }), close() {} }'),
  claimStore: objectWithMethods(['claim', 'release'], 'new FileClaimStore({ dir })'),
  visitorStore: objectWithMethods(['set', 'get'], 'new FileVisitorStore({ dir })'),
  claimTtlMs: ttlMs,
  visitorTtlMs: ttlMs,
  optOutCookies: Joi.array().items(Joi.string().pattern(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/)).unique()
    .description('an array of cookie names, such as ["webtrekkOptOut", "miCookieOptOut"]; [] ignores opt-out cookies'),
});

/** Maximum delay of setTimeout, 2^31 - 1 ms. Node runs a timer with a longer delay after 1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

const closeSchema = Joi.object({
  timeoutMs: Joi.number().integer().min(0).max(MAX_TIMER_MS)
    .description(`a whole number of milliseconds from 0 to ${MAX_TIMER_MS}`),
});

/** Create the tracker that queues and sends order hits. Validates every option at once. */
export function createTracker(options: TrackerOptions): Tracker {
  const parsed = validateOptions<TrackerOptions>('createTracker', trackerSchema, options,
    "createTracker({ trackId: '111111111111111', trackDomain: 'q3.webtrekk.net' })");

  const settings: TrackerSettings = Object.freeze({
    trackId: parsed.trackId,
    trackDomain: parsed.trackDomain,
    secure: parsed.secure ?? DEFAULTS.secure,
    contentId: parsed.contentId ?? DEFAULTS.contentId,
    timeoutMs: parsed.timeoutMs ?? DEFAULTS.timeoutMs,
    eidCookies: Object.freeze([...(parsed.eidCookies ?? DEFAULTS.eidCookies)]),
    ...resolveSessionKeys(parsed),
    maxBatchSize: parsed.maxBatchSize ?? DEFAULTS.maxBatchSize,
    claimTtlMs: parsed.claimTtlMs ?? DEFAULTS.claimTtlMs,
    visitorTtlMs: parsed.visitorTtlMs ?? DEFAULTS.visitorTtlMs,
    optOutCookies: Object.freeze([...(parsed.optOutCookies ?? DEFAULTS.optOutCookies)]),
    maxBatchBytes: parsed.maxBatchBytes ?? DEFAULTS.maxBatchBytes,
    retry: Object.freeze(resolveRetry(parsed.retry)),
    spoolDir: parsed.spoolDir === undefined ? undefined : path.resolve(parsed.spoolDir),
    maxQueue: parsed.maxQueue ?? DEFAULTS.maxQueue,
  });
  // Every line of the tracker, its delivery and the adapters goes through tracker.logger, so this one
  // wrapper keeps a throwing logger away from the shop's requests.
  const logger = createSafeLogger(parsed.logger ?? createConsoleLogger());
  const transport = parsed.transport ?? createHttpTransport(settings);
  const claims = createOrderClaims(parsed.claimStore ?? new MemoryClaimStore(), settings.claimTtlMs, logger);
  const visitorStore = parsed.visitorStore ?? new MemoryVisitorStore();
  const { delivery, events } = createDelivery({
    transport,
    logger,
    spoolDir: settings.spoolDir,
    maxQueue: settings.maxQueue,
    batch: { maxBatchSize: settings.maxBatchSize, maxBatchBytes: settings.maxBatchBytes },
    retry: settings.retry,
    // A hit that delivery gives up on releases its order claim, so a later trigger (such as a repeated
    // webhook) can still send the order. A dead letter queued again claims it again first.
    claims: {
      reclaim: async (orderId) => (await claims.claim(orderId)) !== 'duplicate',
      release: (orderId, reason) => claims.release(orderId, reason),
    },
  });
  let closed = false;

  async function trackOrder(order: Order, visitor: Visitor = {}, trackOptions: TrackOrderOptions = {}): Promise<TrackResult> {
    if (closed) {
      throw new TrackerClosedError('trackOrder');
    }

    const normalized = normalizeOrder(order);
    const cleanVisitor = cleanVisitorFields(visitor, normalized.id, logger);
    const visitorSource = trackOptions.visitorSource ?? (Object.keys(cleanVisitor).length > 0 ? 'caller' : 'none');

    const claim = await claims.claim(normalized.id);
    if (claim === 'duplicate') {
      logger.info({ orderId: normalized.id, visitorSource }, 'order already tracked, so this duplicate is not sent');
      return { status: 'duplicate', orderId: normalized.id, visitorSource };
    }

    let onDiskOnly: boolean;
    try {
      ({ onDiskOnly } = await queueHit(normalized, cleanVisitor));
    } catch (error) {
      await claims.release(normalized.id, 'its hit was not queued');
      throw error;
    }
    logger.info({
      orderId: normalized.id, visitorSource, hasEid: cleanVisitor.eid !== undefined, optedOut: cleanVisitor.optedOut === true, onDiskOnly,
    }, 'order queued for Mapp');
    return { status: 'queued', orderId: normalized.id, visitorSource };
  }

  async function queueHit(normalized: NormalizedOrder, cleanVisitor: Visitor): Promise<{ onDiskOnly: boolean }> {
    // Checked again because close() may have run while the claim was awaited.
    if (closed) {
      throw new TrackerClosedError('trackOrder', true);
    }

    const acceptedAt = Date.now();
    const hit = buildHit({ order: normalized, visitor: cleanVisitor, contentId: settings.contentId, orderTimeMs: acceptedAt });

    if (hit.changedProductIds.length > 0) {
      logger.warn({ orderId: normalized.id, productIds: hit.changedProductIds },
        'product IDs contain ";", which separates products on the wire; it was replaced by "_" so the columns stay aligned');
    }
    if (Buffer.byteLength(hit.line) > MAX_HIT_BYTES) {
      // NOTE: Mapp documents 7 KB per request; whether longer hits are cut or dropped there is not documented.
      logger.warn({ orderId: normalized.id, bytes: Buffer.byteLength(hit.line) }, 'order hit is longer than the 7 KB Mapp documents per request');
    }

    return delivery.accept({
      id: randomUUID(), orderId: normalized.id, line: hit.line, acceptedAt, enqueuedAt: acceptedAt, attempts: 0,
    });
  }

  async function saveVisitor(orderId: string, context: VisitorContext): Promise<void> {
    const stored: VisitorContext = context.optedOut ? { optedOut: true, capturedAt: context.capturedAt } : { ...context };
    await visitorStore.set(orderId, stored, settings.visitorTtlMs);
  }

  const tracker: Tracker = {
    settings,
    logger,
    trackOrder,
    saveVisitor,
    findVisitor: (orderId) => visitorStore.get(orderId),
    flush: () => delivery.flush(),
    async close(closeOptions = {}) {
      const { timeoutMs } = validateOptions<CloseOptions>('tracker.close', closeSchema, closeOptions, 'tracker.close({ timeoutMs: 5000 })');
      closed = true;
      await delivery.close(timeoutMs ?? DEFAULTS.timeoutMs);
    },
    on(event, listener) {
      events.on(event, listener);
      return tracker;
    },
    once(event, listener) {
      events.once(event, listener);
      return tracker;
    },
    off(event, listener) {
      events.off(event, listener);
      return tracker;
    },
    stats: () => delivery.stats(),
    deadLetters: () => delivery.deadLetters(),
    retryDeadLetters: () => delivery.retryDeadLetters(),
  };
  return tracker;
}

/**
 * Fill in the retry defaults and check that the delays are in order. The error names the option the
 * caller passed: maxDelayMs when both were given, minDelayMs when it alone exceeds the default maximum.
 */
function resolveRetry(retry: RetryOptions | undefined): RetrySettings {
  const given = definedFields(retry ?? {});
  const resolved = { ...DEFAULTS.retry, ...given };
  if (resolved.maxDelayMs >= resolved.minDelayMs) {
    return resolved;
  }

  if (given.maxDelayMs === undefined) {
    throw new InvalidOptionError('createTracker', 'retry.minDelayMs', resolved.minDelayMs,
      `a whole number of milliseconds no greater than retry.maxDelayMs (${DEFAULTS.retry.maxDelayMs} by default)`);
  }
  const minimum = given.minDelayMs === undefined ? `${resolved.minDelayMs} by default` : String(resolved.minDelayMs);
  throw new InvalidOptionError('createTracker', 'retry.maxDelayMs', resolved.maxDelayMs,
    `a whole number of milliseconds no smaller than retry.minDelayMs (${minimum})`);
}

/**
 * Fill in the session key defaults and check that the two differ, because the visitor context would
 * overwrite the EID otherwise. The error names the key the caller passed, visitorSessionKey when both were.
 */
function resolveSessionKeys(options: TrackerOptions): { sessionKey: string; visitorSessionKey: string } {
  const sessionKey = options.sessionKey ?? DEFAULTS.sessionKey;
  const visitorSessionKey = options.visitorSessionKey ?? DEFAULTS.visitorSessionKey;
  if (sessionKey !== visitorSessionKey) {
    return { sessionKey, visitorSessionKey };
  }

  if (options.visitorSessionKey === undefined) {
    throw new InvalidOptionError('createTracker', 'sessionKey', sessionKey,
      `a session key other than visitorSessionKey ("${visitorSessionKey}" by default)`);
  }
  throw new InvalidOptionError('createTracker', 'visitorSessionKey', visitorSessionKey,
    `a session key other than sessionKey ("${sessionKey}")`);
}

function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

/** Drop visitor fields Mapp would misread; the order is still sent without them. */
function cleanVisitorFields(visitor: Visitor, orderId: string, logger: Logger): Visitor {
  if (visitor.optedOut === true) {
    return { optedOut: true };
  }

  const clean: Visitor = {};

  if (visitor.eid !== undefined) {
    if (isValidEid(visitor.eid)) {
      clean.eid = visitor.eid;
    } else {
      const problem = typeof visitor.eid === 'number'
        ? 'visitor.eid is a number, which cannot hold 19 digits exactly; pass it as a string. It is left out of the hit'
        : 'visitor.eid is not 19 digits and is left out of the hit; Mapp would replace it with a new ID';
      logger.warn({ orderId }, problem);
    }
  }

  if (visitor.ip !== undefined) {
    clean.ip = normalizeIp(visitor.ip);
    if (clean.ip === undefined) {
      delete clean.ip;
      logger.warn({ orderId }, 'visitor.ip is not an IP address and is left out of the hit');
    }
  }

  if (typeof visitor.userAgent === 'string' && visitor.userAgent.length > 0) {
    clean.userAgent = visitor.userAgent;
  }

  if (visitor.clientHints && typeof visitor.clientHints === 'object') {
    const hints = Object.fromEntries(Object.entries(visitor.clientHints)
      .filter(([, value]) => typeof value === 'string' && value.length > 0)
      .map(([name, value]) => [name.toLowerCase(), value]));
    if (Object.keys(hints).length > 0) {
      clean.clientHints = hints;
    }
  }

  return clean;
}
