import type { RequestFacts, SessionData } from './visitor-context';

/**
 * Accessors that an adapter provides for one request of its framework. The core handlers read nothing else
 * from a request, so each framework adapter is this object plus a thin middleware wrapper.
 */
export interface FrameworkBinding<Request> {
  /** The request object's name in the framework's docs, log lines and error messages: `req` or `ctx`. */
  readonly requestName: string;
  /** The session middleware the adapter needs, named in the log line when the session is missing. */
  readonly sessionMiddleware: string;
  /** The expression for the parsed request body in the shop's callbacks, named in option errors: `req.body` or `ctx.request.body`. */
  readonly bodyName: string;
  /** The request path without the query string, as the framework's routing matches it. */
  path(request: Request): string;
  /** The session object, or undefined when no session middleware ran before. */
  session(request: Request): SessionData | undefined;
  facts(request: Request): RequestFacts;
}

/** Collect the facts of one request from its headers and the client IP the framework resolved. */
export function requestFacts(headers: RequestFacts['headers'], ip: string | undefined): RequestFacts {
  const cookie = headers.cookie;
  return { cookieHeader: typeof cookie === 'string' ? cookie : undefined, ip, headers };
}

/** Return the session object that a session middleware attached to the request, or undefined when there is none. */
export function asSessionData(value: unknown): SessionData | undefined {
  return typeof value === 'object' && value !== null ? (value as SessionData) : undefined;
}

const ENTRY_POINTS = { Express: 'mapp-s2s', Koa: 'mapp-s2s/koa' } as const;

/**
 * Throw when a middleware of one framework was mounted in the other. Express calls middleware as
 * (req, res, next) and Koa as (ctx, next), so the argument that must be `next` is not a function then.
 */
export function assertMountedIn(framework: keyof typeof ENTRY_POINTS, handler: string, next: unknown): void {
  if (typeof next === 'function') {
    return;
  }

  const other = framework === 'Express' ? 'Koa' : 'Express';
  throw new Error(`mapp-s2s: ${handler} from "${ENTRY_POINTS[framework]}" is ${framework} middleware but was mounted in ${other}. `
    + `Import ${handler} from "${ENTRY_POINTS[other]}" instead.`);
}
