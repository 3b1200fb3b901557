import { parseCookieHeader } from './cookies';

/** Ever ID pattern: Mapp's pixels and SDKs all write 19 digits, and the track server replaces anything else. */
const EID_PATTERN = /^\d{19}$/;

/** Track ID pattern: one Mapp account, 15 digits. */
export const TRACK_ID_PATTERN = /^\d{15}$/;

/** Cookie sources of the Ever ID, in Mapp's own priority order. `wteid` stands for `wteid_<trackId>`. */
export type EidCookieSource = 'wtstp_eid' | 'wteid' | 'wt3_eid';

export const DEFAULT_EID_COOKIES: readonly EidCookieSource[] = ['wtstp_eid', 'wteid', 'wt3_eid'];

export interface EidReading {
  eid: string;
  source: EidCookieSource;
}

export function isValidEid(value: unknown): value is string {
  return typeof value === 'string' && EID_PATTERN.test(value);
}

/**
 * Decode a cookie value the way the pixels encoded it (`encodeURIComponent`). A broken escape does not
 * throw: the ASCII escapes around it (`%3B`, `%7C`, `%23`) are still decoded, and whatever stays broken
 * fails the 19-digit check later.
 */
export function decodeCookieValue(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw.replace(/%([0-7][0-9A-Fa-f])/g, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/**
 * Find this account's entry in a decoded `wt3_eid` value (`;TRACKID|EID#LASTVISIT`, one entry per track ID).
 * The track ID must match exactly, because a substring test lets one account's ID match inside another's.
 * When one track ID has several entries, the first valid one wins.
 */
export function eidFromWt3Value(decoded: string, trackId: string): string | undefined {
  for (const entry of decoded.split(';')) {
    const separator = entry.indexOf('|');
    if (separator < 0 || entry.slice(0, separator).trim() !== trackId) {
      continue;
    }

    const rest = entry.slice(separator + 1);
    const hash = rest.indexOf('#');
    const candidate = (hash < 0 ? rest : rest.slice(0, hash)).trim();
    if (isValidEid(candidate)) {
      return candidate;
    }
  }

  return undefined;
}

/**
 * Read the Ever ID from a raw `Cookie` header. Sources are tried in the given order, and a source whose
 * value is not a valid EID is skipped rather than forwarded. Never throws.
 */
export function readEidFromCookieHeader(
  cookieHeader: string | undefined,
  trackId: string,
  sources: readonly EidCookieSource[] = DEFAULT_EID_COOKIES,
): EidReading | undefined {
  if (!cookieHeader) {
    return undefined;
  }

  const cookies = parseCookieHeader(cookieHeader);

  for (const source of sources) {
    const name = source === 'wteid' ? `wteid_${trackId}` : source;
    const raw = cookies.get(name);
    if (raw === undefined) {
      continue;
    }

    const decoded = decodeCookieValue(raw);
    const eid = source === 'wt3_eid' ? eidFromWt3Value(decoded, trackId) : decoded.trim();
    if (isValidEid(eid)) {
      return { eid, source };
    }
  }

  return undefined;
}

/** Shorten an EID for logs, so a log line never contains a full visitor ID. */
export function maskEid(eid: string | undefined): string | undefined {
  return eid === undefined ? undefined : `${eid.slice(0, 4)}…`;
}
