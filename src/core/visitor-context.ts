import { isValidEid, readEidFromCookieHeader } from '../protocol/eid';
import { normalizeIp, pickClientHints, type Visitor } from '../protocol/visitor';
import type { TrackerSettings, VisitorSource } from '../tracker';

/** What an adapter reads from one request, independent of the framework. */
export interface RequestFacts {
  cookieHeader: string | undefined;
  /** The client IP as the framework resolves it (trust proxy already applied). */
  ip: string | undefined;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** The visitor context kept in the session between checkout and confirmation. */
export interface StoredVisitor {
  ip?: string;
  userAgent?: string;
  clientHints?: Record<string, string>;
  /** When the context was captured, epoch milliseconds. */
  capturedAt: number;
}

export type SessionData = Record<string, unknown>;

/** The visitor of this request: EID from the cookie, IP, user agent and client hints. */
export function visitorFromRequest(facts: RequestFacts, settings: TrackerSettings): Visitor {
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
 * first one captured belongs to the visit that led to the order.
 */
export function captureIntoSession(session: SessionData, facts: RequestFacts, settings: TrackerSettings): { outcome: CaptureOutcome; visitor: Visitor } {
  const existingEid = session[settings.sessionKey];
  const existingContext = readStoredVisitor(session[settings.visitorSessionKey]);

  if (isValidEid(existingEid) && existingContext) {
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

/** The visitor stored in the session at checkout, or undefined when checkout stored nothing. */
export function visitorFromSession(session: SessionData | undefined, settings: TrackerSettings): Visitor | undefined {
  if (!session) {
    return undefined;
  }

  const eid = session[settings.sessionKey];
  const context = readStoredVisitor(session[settings.visitorSessionKey]);
  if (!isValidEid(eid) && !context) {
    return undefined;
  }

  return { ...(isValidEid(eid) ? { eid } : {}), ...(context ? visitorFields(context) : {}) };
}

/**
 * Resolve the visitor of an order confirmed in this request: the session's checkout capture first, then
 * this request itself.
 */
export function resolveConfirmationVisitor(
  session: SessionData | undefined,
  facts: RequestFacts,
  settings: TrackerSettings,
): { visitor: Visitor; source: VisitorSource } {
  const stored = visitorFromSession(session, settings);
  if (stored) {
    return { visitor: stored, source: 'session' };
  }

  const visitor = visitorFromRequest(facts, settings);
  return { visitor, source: Object.keys(visitor).length > 0 ? 'request' : 'none' };
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

// A session store may hand back anything (old versions, other code writing the key); accept only strings.
function readStoredVisitor(value: unknown): StoredVisitor | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }

  const candidate = value as Record<string, unknown>;
  const context: StoredVisitor = { capturedAt: typeof candidate.capturedAt === 'number' ? candidate.capturedAt : 0 };
  if (typeof candidate.ip === 'string') {
    context.ip = candidate.ip;
  }
  if (typeof candidate.userAgent === 'string') {
    context.userAgent = candidate.userAgent;
  }
  if (typeof candidate.clientHints === 'object' && candidate.clientHints !== null) {
    context.clientHints = Object.fromEntries(Object.entries(candidate.clientHints as Record<string, unknown>)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  }
  return context;
}
