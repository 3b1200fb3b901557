import Joi from 'joi';

/** Route filter of a middleware: a path, several paths, a RegExp tested on the path, or a predicate. */
export type RouteMatcher<Request> = string | readonly string[] | RegExp | ((request: Request) => boolean);

export const routeSchema = Joi.alternatives(
  Joi.string().pattern(/^\//),
  Joi.array().items(Joi.string().pattern(/^\//)).min(1),
  Joi.object().instance(RegExp),
  Joi.function(),
).required().description('a path starting with "/", an array of such paths, a RegExp or a function (request) => boolean');

/**
 * Test a request against a route. A trailing slash does not matter, so `/cart_checkout/` matches
 * `/cart_checkout` as Express's non-strict routing does.
 */
export function matchesRoute<Request>(route: RouteMatcher<Request>, path: string, request: Request): boolean {
  if (typeof route === 'function') {
    return route(request) === true;
  }
  if (route instanceof RegExp) {
    route.lastIndex = 0;
    return route.test(path);
  }

  const normalized = trimTrailingSlash(path);
  const paths = typeof route === 'string' ? [route] : route;
  return paths.some((candidate) => trimTrailingSlash(candidate) === normalized);
}

function trimTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
