import type { Request } from 'express';

import { asSessionData, requestFacts, type FrameworkBinding } from '../core/framework';

/** The Express binding of the core handlers. `req.ip` already applies the `trust proxy` setting. */
export const expressBinding: FrameworkBinding<Request> = {
  requestName: 'req',
  sessionMiddleware: 'express-session',
  bodyName: 'req.body',
  path: (req) => req.path,
  session: (req) => asSessionData((req as Request & { session?: unknown }).session),
  facts: (req) => requestFacts(req.headers, req.ip ?? req.socket?.remoteAddress),
};
