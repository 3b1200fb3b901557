import { isValidEid, readEidFromCookieHeader } from '../protocol/eid';
import { hasOptOutCookie } from '../protocol/opt-out';
import { normalizeIp, parseVisitorContext, pickClientHints, type Visitor, type VisitorContext } from '../protocol/visitor';
import type { TrackerSettings, VisitorSource } from '../tracker';

/** Facts an adapter reads from one request, independent of the framework. */
export interface RequestFacts {
  cookieHeader: string | undefined;
  /** The client IP as the framework resolves it (trust proxy already applied). */
  ip: string | undefined;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * The visitor context kept in the session between checkout and confirmation. The EID is kept under its own
 * session key, the one Mapp's guide names.
 */
export type StoredVisitor = Omit<VisitorContext, 'eid'>;

export type SessionData = Record<string, unknown>;

/**
 * Read the visitor of this request: EID from the cookie, IP, user agent and client hints, or only the
 * opt-out flag when the request carries an opt-out cookie.
 */
export function visitorFromRequest(facts: RequestFacts, settings: TrackerSettings): Visitor {
  if (hasOptOutCookie(facts.cookieHeader, settings.optOutCookies)) {
    return { optedOut: true };
  }

  const visitor: Visitor = {};

  const reading = readEidFromCookieHeader(facts.cookieHeader, settings.trackId, settings.eidCookies);
  if (reading) {
    visitor.eid = reading.eid;
  }

  const ip = normalizeIp(facts.ip);
  if (ip) {
    visitor.ip = ip;
  }

  const userAgent = facts.headers['user-agent'];
  if (typeof userAgent === 'string' && userAgent.length > 0) {
    visitor.userAgent = userAgent;
  }

  const hints = pickClientHints(facts.headers);
  if (Object.keys(hints).length > 0) {
    visitor.clientHints = hints;
  }

  return visitor;
}

export type CaptureOutcome = 'stored' | 'kept';

/**
 * Store the checkout request's visitor in the session. An EID already in the session is kept, because the
 * first one captured belongs to the visit that led to the order. An opt-out cookie wins over both: the
 * session then keeps only the opt-out flag.
 */
export function captureIntoSession(session: SessionData, facts: RequestFacts, settings: TrackerSettings): { outcome: CaptureOutcome; visitor: Visitor } {
  if (hasOptOutCookie(facts.cookieHeader, settings.optOutCookies)) {
    delete session[settings.sessionKey];
    const optedOut: StoredVisitor = { optedOut: true, capturedAt: Date.now() };
    session[settings.visitorSessionKey] = optedOut;
    return { outcome: 'stored', visitor: { optedOut: true } };
  }

  const existingEid = session[settings.sessionKey];
  const existingContext = readStoredVisitor(session[settings.visitorSessionKey]);

  if (isValidEid(existingEid) && existingContext && !existingContext.optedOut) {
    return { outcome: 'kept', visitor: { eid: existingEid, ...visitorFields(existingContext) } };
  }

  const visitor = visitorFromRequest(facts, settings);
  if (isValidEid(existingEid)) {
    visitor.eid = existingEid;
  } else if (visitor.eid) {
    session[settings.sessionKey] = visitor.eid;
  }

  const context: StoredVisitor = { ...visitorFields(visitor), capturedAt: Date.now() };
  session[settings.visitorSessionKey] = context;
  return { outcome: 'stored', visitor };
}

/** Read the visitor stored in the session at checkout; undefined when checkout stored nothing. */
export function visitorFromSession(session: SessionData | undefined, settings: TrackerSettings): Visitor | undefined {
  if (!session) {
    return undefined;
  }

  const eid = session[settings.sessionKey];
  const context = readStoredVisitor(session[settings.visitorSessionKey]);
  if (context?.optedOut) {
    return { optedOut: true };
  }
  if (!isValidEid(eid) && !context) {
    return undefined;
  }

  return { ...(isValidEid(eid) ? { eid } : {}), ...(context ? visitorFields(context) : {}) };
}

export interface ResolvedVisitor {
  visitor: Visitor;
  source: VisitorSource;
}

/**
 * Resolve the visitor of an order confirmed in this request from the request alone: an opt-out cookie
 * first, then the session's checkout capture, then this request itself. A request without any cookie
 * yields no visitor, because it may come from the payment provider's server rather than the shopper's
 * browser. Reads the session without changing it, so no session is created just to look.
 */
export function resolveConfirmationVisitor(
  session: SessionData | undefined,
  facts: RequestFacts,
  settings: TrackerSettings,
): ResolvedVisitor {
  if (hasOptOutCookie(facts.cookieHeader, settings.optOutCookies)) {
    return { visitor: { optedOut: true }, source: 'request' };
  }

  const stored = visitorFromSession(session, settings);
  if (stored) {
    return { visitor: stored, source: 'session' };
  }

  if (!facts.cookieHeader) {
    return { visitor: {}, source: 'none' };
  }
  const visitor = visitorFromRequest(facts, settings);
  return { visitor, source: Object.keys(visitor).length > 0 ? 'request' : 'none' };
}

/** Test whether a resolved visitor is final, so the order store need not be asked: an EID or an opt-out. */
export function identifiesVisitor(resolved: ResolvedVisitor): boolean {
  return resolved.visitor.optedOut === true || (resolved.source === 'session' && resolved.visitor.eid !== undefined);
}

function visitorFields(context: Visitor | StoredVisitor): Visitor {
  const fields: Visitor = {};
  if (context.ip) {
    fields.ip = context.ip;
  }
  if (context.userAgent) {
    fields.userAgent = context.userAgent;
  }
  if (context.clientHints && Object.keys(context.clientHints).length > 0) {
    fields.clientHints = { ...context.clientHints };
  }
  return fields;
}

// The session's EID lives under its own key, so an EID inside the context value is not used.
function readStoredVisitor(value: unknown): StoredVisitor | undefined {
  const context = parseVisitorContext(value);
  if (!context) {
    return undefined;
  }
  const { eid: _ignored, ...stored } = context;
  return stored;
}
