/**
 * Parse a raw `Cookie` header into name -> raw (still percent-encoded) value.
 *
 * Browsers send the most specific cookie first when two share a name, so the first occurrence wins.
 * Values are kept as text: cookie-parser's `j:` JSON convention is deliberately not applied, because a
 * shopper controls these bytes.
 *
 * A pair without `=`, such as a bare `webtrekkOptOut`, is kept as a name with an empty value, so that a
 * presence check such as the opt-out finds it.
 */
export function parseCookieHeader(header: string): Map<string, string> {
  const cookies = new Map<string, string>();

  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    const name = (equals < 0 ? pair : pair.slice(0, equals)).trim();
    let value = equals < 0 ? '' : pair.slice(equals + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1);
    }

    if (name && !cookies.has(name)) {
      cookies.set(name, value);
    }
  }

  return cookies;
}
