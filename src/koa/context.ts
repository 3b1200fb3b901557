import type { Context } from 'koa';

import { asSessionData, requestFacts, type FrameworkBinding } from '../core/framework';

/**
 * The Koa binding of the core handlers. `ctx.ip` follows `app.proxy` and `app.maxIpsCount`, as
 * `req.ip` follows `trust proxy` in Express.
 */
export const koaBinding: FrameworkBinding<Context> = {
  requestName: 'ctx',
  sessionMiddleware: 'koa-session',
  bodyName: 'ctx.request.body',
  path: (ctx) => ctx.path,
  session: (ctx) => asSessionData((ctx as Context & { session?: unknown }).session),
  // Koa returns '' rather than undefined when it finds no address.
  facts: (ctx) => requestFacts(ctx.headers, ctx.ip || ctx.req.socket?.remoteAddress),
};
