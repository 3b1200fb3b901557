import type { Request } from 'express';

import type { RequestFacts, SessionData } from '../core/visitor-context';

export function expressRequestFacts(req: Request): RequestFacts {
  const cookie = req.headers.cookie;
  return {
    cookieHeader: typeof cookie === 'string' ? cookie : undefined,
    ip: req.ip ?? req.socket?.remoteAddress,
    headers: req.headers,
  };
}

/** The express-session object, or undefined when no session middleware ran before. */
export function expressSession(req: Request): SessionData | undefined {
  const session: unknown = (req as Request & { session?: unknown }).session;
  return typeof session === 'object' && session !== null ? (session as SessionData) : undefined;
}
