import { isIP } from 'node:net';

/** The shopper as Mapp should see them: captured on the last checkout page, sent with the order. */
export interface Visitor {
  /** Ever ID from the Mapp cookie, 19 digits. */
  eid?: string;
  /** The shopper's IP address, sent as `X-WT-IP`. */
  ip?: string;
  /** The shopper's User-Agent header, sent as `X-WT-UA`. */
  userAgent?: string;
  /** Raw `Sec-CH-UA*` request headers by lower-case header name, such as `sec-ch-ua-platform`. */
  clientHints?: Readonly<Record<string, string>>;
  /**
   * The shopper carries one of Mapp's opt-out cookies. The order is then sent anonymously (`nc=1`) without
   * EID, IP, user agent or client hints, whatever the other fields hold.
   */
  optedOut?: boolean;
}

/** A visitor as captured at checkout, with the capture time: what the stores keep by order ID. */
export interface VisitorContext extends Visitor {
  /** When the visitor was captured, epoch milliseconds. */
  capturedAt: number;
}

/** Client hint request headers and the hit parameter each one becomes. */
export const CLIENT_HINT_PARAMETERS: Readonly<Record<string, string>> = {
  'sec-ch-ua': 'X-WT-SEC-CH-UA',
  'sec-ch-ua-full-version-list': 'X-WT-SEC-CH-UA-FULL-VERSION-LIST',
  'sec-ch-ua-model': 'X-WT-SEC-CH-UA-MODEL',
  'sec-ch-ua-mobile': 'X-WT-SEC-CH-UA-MOBILE',
  'sec-ch-ua-platform': 'X-WT-SEC-CH-UA-PLATFORM',
  'sec-ch-ua-platform-version': 'X-WT-SEC-CH-UA-PLATFORM-VERSION',
};

/**
 * Normalize an IP for `X-WT-IP`. Node reports IPv4 clients of a dual-stack socket as `::ffff:a.b.c.d`,
 * which Mapp's docs never show, so the plain IPv4 form is sent. Returns undefined for anything that is not
 * an IP address.
 */
export function normalizeIp(value: string | undefined): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }

  const trimmed = value.trim();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(trimmed);
  const ip = mapped ? mapped[1] : trimmed;
  return isIP(ip) === 0 ? undefined : ip;
}

/** Shorten an IP for logs: the last IPv4 octet or the IPv6 interface part is dropped. */
export function maskIp(ip: string | undefined): string | undefined {
  if (ip === undefined) {
    return undefined;
  }

  if (isIP(ip) === 4) {
    return ip.replace(/\.\d+$/, '.x');
  }

  return `${ip.split(':').slice(0, 3).join(':')}:…`;
}

/** Pick the client hint headers from a request's headers. */
export function pickClientHints(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
  const hints: Record<string, string> = {};

  for (const name of Object.keys(CLIENT_HINT_PARAMETERS)) {
    const value = headers[name];
    if (typeof value === 'string' && value.length > 0) {
      hints[name] = value;
    }
  }

  return hints;
}

/**
 * Read a visitor context back from a session or a store, which may hand back anything (older versions,
 * other code writing the same key, a damaged file). Only fields of the expected type are kept; the EID and
 * IP are checked again when the order is tracked. Returns undefined when the value is not an object.
 */
export function parseVisitorContext(value: unknown): VisitorContext | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }

  const candidate = value as Record<string, unknown>;
  const context: VisitorContext = { capturedAt: typeof candidate.capturedAt === 'number' ? candidate.capturedAt : 0 };
  if (candidate.optedOut === true) {
    context.optedOut = true;
    return context;
  }
  for (const field of ['eid', 'ip', 'userAgent'] as const) {
    const fieldValue = candidate[field];
    if (typeof fieldValue === 'string' && fieldValue.length > 0) {
      context[field] = fieldValue;
    }
  }
  if (typeof candidate.clientHints === 'object' && candidate.clientHints !== null) {
    const hints = Object.fromEntries(Object.entries(candidate.clientHints as Record<string, unknown>)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    if (Object.keys(hints).length > 0) {
      context.clientHints = hints;
    }
  }
  return context;
}
