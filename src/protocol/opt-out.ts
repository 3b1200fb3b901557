import { parseCookieHeader } from './cookies';

/**
 * Cookies Mapp's pixels set when a visitor opts out: `webtrekkOptOut` (no tracking) and `miCookieOptOut`
 * (anonymous tracking).
 */
export const DEFAULT_OPT_OUT_COOKIES: readonly string[] = ['webtrekkOptOut', 'miCookieOptOut'];

/**
 * Test a raw `Cookie` header for any of the opt-out cookies. Any value counts, even an empty one: the
 * cookie's presence is the shopper's choice, and reading it as "opted in" by mistake would be worse.
 */
export function hasOptOutCookie(cookieHeader: string | undefined, names: readonly string[]): boolean {
  if (!cookieHeader || names.length === 0) {
    return false;
  }

  const cookies = parseCookieHeader(cookieHeader);
  return names.some((name) => cookies.has(name));
}
