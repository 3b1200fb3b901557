/** One tracking request as the collector received it, decoded into the fields a Mapp order hit carries. */
export interface CollectedHit {
  /** Track ID from the request path, or the comma-separated list of IDs when the path names several. */
  trackId: string;
  method: 'GET' | 'POST';
  /** Epoch milliseconds at which the collector received the HTTP request that carried this hit. */
  receivedAt: number;
  /** The raw request line, such as `wt?p=600,...&eid=...`, exactly as it arrived. */
  line: string;
  /**
   * Every query parameter, percent-decoded. `p` is decoded as a whole, so encoded commas inside a page name
   * become real commas here. `page` contains the fields split before decoding.
   */
  params: Record<string, string>;
  /** Fields of `p`, split on its unencoded commas and each percent-decoded separately. */
  page: HitPage;
  eid?: string;
  /** Visitor IP from the `X-WT-IP` parameter, or from the `X-WT-IP` HTTP header when the line has none. */
  ip?: string;
  /** Visitor user agent from the `X-WT-UA` parameter, or from the `X-WT-UA` HTTP header when the line has none. */
  userAgent?: string;
  /** Every `X-WT-SEC-CH-UA*` value, keyed by parameter name, from the line or else from the HTTP headers. */
  clientHints: Record<string, string>;
  /** Order fields, present when the line has `ov` or `oi`. */
  order?: HitOrder;
  /** One entry per product, built from the `;`-separated columns `ba`, `co`, `qn`, `st` and `ca<N>`. */
  products: HitProduct[];
  /** Deviations from what Mapp expects of an order hit, in plain English. Empty for a well-formed hit. */
  problems: string[];
}

export interface HitPage {
  version: string;
  /** Page name (content ID). */
  contentId: string;
  /** Client time in epoch milliseconds, or undefined when the field is not 13 digits. */
  clientTimeMs: number | undefined;
  /** `0` for none, `1` for the shop's own domain, `2` for already sent, otherwise the referrer URL. */
  referrer: string;
}

export interface HitOrder {
  id?: string;
  /** Order value exactly as sent, such as `79.7`. */
  value?: string;
  currency?: string;
  /**
   * Every `cb<N>` parameter keyed by N, such as `{ '761': 'paypal' }`.
   * NOTE: the wire does not say which `cb<N>` are product-level (such as 760 sold out and 767 variant), so those
   * appear here too, still joined with `;`.
   */
  parameters: Record<string, string>;
}

export interface HitProduct {
  id: string;
  cost?: string;
  quantity?: string;
  status?: string;
  /** Product categories keyed by the N of `ca<N>`. */
  categories: Record<string, string>;
}

/** Request context that the line itself does not carry. */
export interface HitLineMeta {
  trackId: string;
  method: 'GET' | 'POST';
  receivedAt: number;
  /**
   * `X-WT-*` HTTP headers of the request, keyed in any letter case. Mapp accepts visitor IP, user agent and
   * client hints as headers as well as parameters, and the parameters take precedence.
   */
  headers?: Record<string, string | string[] | undefined>;
}

/**
 * Number of comma-separated fields in `p`: version, page name, JS, screen, colour depth, cookies, client time,
 * referrer, window size, Java.
 */
const PAGE_FIELD_COUNT = 10;
const PAGE_FIELD_VERSION = 0;
const PAGE_FIELD_CONTENT_ID = 1;
const PAGE_FIELD_CLIENT_TIME = 6;
const PAGE_FIELD_REFERRER = 7;

const CLIENT_HINT_PREFIX = 'X-WT-SEC-CH-UA';

/** Product statuses that the official Mapp libraries and the Smart Pixel send. */
const KNOWN_PRODUCT_STATUSES = new Set([
  'view',
  'add',
  'del',
  'checkout',
  'conf',
  'add-wl',
  'del-wl',
  'list',
  'display-reco',
  'click-reco',
]);

/** Mapp accepts a dot or a comma as the decimal separator and no thousands separator. */
const ORDER_VALUE_PATTERN = /^-?\d+(?:[.,]\d+)?$/;

/**
 * Limits that keep one hostile or broken line from exhausting the collector's memory. A line beyond them
 * is decoded in part, and the cut is noted in `problems`. Real order hits stay far below them: Mapp
 * documents 7 KB per request, and the tracker sends at most 1000 products.
 */
export const DECODE_LIMITS = {
  /** Parameters decoded per line; the rest of the line is ignored. */
  parameters: 1000,
  /** Products decoded per hit. */
  products: 10_000,
  /** Product cells (products × product columns such as `ba`, `co` and `ca<N>`) decoded per hit. */
  productCells: 200_000,
} as const;

const EID_PATTERN = /^\d{19}$/;
const CLIENT_TIME_PATTERN = /^\d{13}$/;

/**
 * Decodes one tracking request line (`wt?p=...&...`) into a CollectedHit.
 *
 * Never throws: every deviation, including a malformed percent escape, becomes an entry in `problems`,
 * and a value that cannot be decoded is kept raw.
 */
export function decodeHitLine(line: string, meta: HitLineMeta): CollectedHit {
  const problems: string[] = [];
  const query = extractQuery(line, problems);
  const { params, rawParams } = parseQuery(query, problems);

  const page = decodePage(rawParams.get('p'), problems);
  const headers = normalizeHeaderNames(meta.headers);

  const hit: CollectedHit = {
    trackId: meta.trackId,
    method: meta.method,
    receivedAt: meta.receivedAt,
    line,
    params,
    page,
    clientHints: collectClientHints(params, headers),
    products: decodeProducts(params, problems),
    problems,
  };

  const eid = params['eid'];
  if (eid === undefined) {
    problems.push('missing eid');
  } else {
    hit.eid = eid;
    if (!EID_PATTERN.test(eid)) {
      // Mapp replaces an EID that is not 19 digits with a new one, which detaches the order from the visitor.
      problems.push(`eid is not 19 digits: "${eid}"`);
    }
  }

  const ip = params['X-WT-IP'] ?? headers.get('x-wt-ip');
  if (ip !== undefined) {
    hit.ip = ip;
  }

  const userAgent = params['X-WT-UA'] ?? headers.get('x-wt-ua');
  if (userAgent !== undefined) {
    hit.userAgent = userAgent;
  }

  const order = decodeOrder(params, problems);
  if (order !== undefined) {
    hit.order = order;
  }

  const purchased = hit.products.some((product) => product.status === 'conf');
  if (params['ov'] === undefined && (order !== undefined || purchased)) {
    // Without ov Mapp counts no order, even when oi and purchased products are present.
    problems.push('missing ov');
  }

  return hit;
}

function extractQuery(line: string, problems: string[]): string {
  if (line.startsWith('wt?')) {
    return line.slice('wt?'.length);
  }
  if (line === 'wt') {
    return '';
  }
  // The Smart Pixel in beacon mode posts lines of the form `?p=...` to the batch endpoint.
  if (line.startsWith('?')) {
    return line.slice(1);
  }

  problems.push(`line does not start with "wt?": "${truncate(line)}"`);
  const questionMark = line.indexOf('?');
  return questionMark >= 0 ? line.slice(questionMark + 1) : line;
}

interface ParsedQuery {
  params: Record<string, string>;
  /** Values before percent-decoding, because `p` must be split on its unencoded commas first. */
  rawParams: Map<string, string>;
}

function parseQuery(query: string, problems: string[]): ParsedQuery {
  const params: Record<string, string> = {};
  const rawParams = new Map<string, string>();

  let count = 0;
  // Scanned pair by pair rather than split, so a line of millions of `&` allocates nothing per empty pair.
  for (let start = 0; start <= query.length;) {
    const end = query.indexOf('&', start);
    const pair = query.slice(start, end < 0 ? query.length : end);
    start = end < 0 ? query.length + 1 : end + 1;
    if (pair === '') {
      continue;
    }
    if (count === DECODE_LIMITS.parameters) {
      problems.push(`more than ${DECODE_LIMITS.parameters} parameters, so the rest of the line is not decoded`);
      break;
    }
    count++;

    const equals = pair.indexOf('=');
    const rawKey = equals >= 0 ? pair.slice(0, equals) : pair;
    const rawValue = equals >= 0 ? pair.slice(equals + 1) : '';

    const key = decodeComponent(rawKey, `parameter name "${truncate(rawKey)}"`, problems);
    if (key === '') {
      problems.push(`parameter without a name: "${truncate(pair)}"`);
      continue;
    }
    if (rawParams.has(key)) {
      problems.push(`duplicate parameter ${key}, the last value is kept`);
    }
    if (rawValue.includes('+')) {
      // The official encoders write a space as %20 and a plus as %2B. A raw '+' is therefore ambiguous,
      // because form decoders read it as a space.
      problems.push(`unencoded "+" in ${key}`);
    }

    rawParams.set(key, rawValue);
    // defineProperty rather than assignment, because a parameter named __proto__ would otherwise replace the prototype.
    Object.defineProperty(params, key, {
      value: decodeComponent(rawValue, key, problems),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }

  return { params, rawParams };
}

function decodePage(rawP: string | undefined, problems: string[]): HitPage {
  if (rawP === undefined) {
    problems.push('missing p');
    return { version: '', contentId: '', clientTimeMs: undefined, referrer: '' };
  }

  const fields = rawP.split(',');
  if (fields.length !== PAGE_FIELD_COUNT) {
    problems.push(`p has ${fields.length} fields, expected ${PAGE_FIELD_COUNT}`);
  }
  const field = (index: number): string =>
    decodeComponent(fields[index] ?? '', `p field ${index + 1}`, problems);

  const version = field(PAGE_FIELD_VERSION);
  if (version === '') {
    problems.push('p version is empty');
  }

  const contentId = field(PAGE_FIELD_CONTENT_ID);
  if (contentId === '') {
    problems.push('p content ID is empty');
  }

  const clientTime = field(PAGE_FIELD_CLIENT_TIME);
  let clientTimeMs: number | undefined;
  if (CLIENT_TIME_PATTERN.test(clientTime)) {
    clientTimeMs = Number(clientTime);
  } else {
    problems.push('p client time is not 13 digits');
  }

  return { version, contentId, clientTimeMs, referrer: field(PAGE_FIELD_REFERRER) };
}

function decodeOrder(params: Record<string, string>, problems: string[]): HitOrder | undefined {
  const value = params['ov'];
  const id = params['oi'];
  if (value === undefined && id === undefined) {
    return undefined;
  }

  const order: HitOrder = { parameters: {} };
  if (id !== undefined) {
    order.id = id;
  }
  if (value !== undefined) {
    order.value = value;
    if (!ORDER_VALUE_PATTERN.test(value)) {
      problems.push(`ov is not a number: "${truncate(value)}"`);
    }
  }
  if (params['cr'] !== undefined) {
    order.currency = params['cr'];
  }

  for (const [key, parameterValue] of Object.entries(params)) {
    const match = /^cb(\d+)$/.exec(key);
    if (match !== null) {
      order.parameters[match[1]] = parameterValue;
    }
  }

  return order;
}

/**
 * One `;`-separated product column. Only the cells that can be decoded are split off, so a column of
 * millions of `;` costs no more than the limit; `length` is the number of cells the column has in all.
 */
interface ProductColumn {
  cells: string[];
  length: number;
}

function splitColumn(value: string): ProductColumn {
  const cells = value.split(';', DECODE_LIMITS.products);
  return { cells, length: cells.length < DECODE_LIMITS.products ? cells.length : countCells(value) };
}

function countCells(value: string): number {
  let count = 1;
  for (let index = value.indexOf(';'); index >= 0; index = value.indexOf(';', index + 1)) {
    count++;
  }
  return count;
}

function decodeProducts(params: Record<string, string>, problems: string[]): HitProduct[] {
  const columns = new Map<string, ProductColumn>();
  for (const key of ['ba', 'co', 'qn', 'st']) {
    if (params[key] !== undefined) {
      columns.set(key, splitColumn(params[key]));
    }
  }
  const categoryKeys = Object.keys(params).filter((key) => /^ca\d+$/.test(key));
  for (const key of categoryKeys) {
    columns.set(key, splitColumn(params[key]));
  }
  if (columns.size === 0) {
    return [];
  }

  const ids = columns.get('ba');
  if (ids === undefined) {
    problems.push(truncate(`missing ba, but product columns are present (${[...columns.keys()].join(', ')})`, 200));
  } else if (params['ba'] === '') {
    problems.push('ba is empty');
  }

  // A loop rather than Math.max(...lengths), which exceeds the engine's argument limit for many columns.
  let rowCount = 0;
  if (ids !== undefined) {
    rowCount = ids.length;
  } else {
    for (const column of columns.values()) {
      rowCount = Math.max(rowCount, column.length);
    }
  }

  // The Smart Pixel sends one st for the whole request, while the server libraries send one per product.
  const statuses = columns.get('st')?.cells;
  const statusForAll = statuses !== undefined && columns.get('st')?.length === 1 ? statuses[0] : undefined;

  const mismatched = [...columns.entries()].filter(([key, column]) => {
    if (key === 'st' && statusForAll !== undefined) {
      return false;
    }
    return column.length !== rowCount;
  });
  if (mismatched.length > 0) {
    const lengths = [...columns.entries()]
      .filter(([key]) => key === 'ba' || mismatched.some(([mismatchedKey]) => mismatchedKey === key))
      .map(([key, column]) => `${key} ${column.length}`);
    problems.push(truncate(`product columns have different lengths (${lengths.join(', ')})`, 200));
  }

  for (const status of new Set(statuses ?? [])) {
    if (!KNOWN_PRODUCT_STATUSES.has(status)) {
      problems.push(`unknown product status "${truncate(status)}"`);
    }
  }

  const decodedRows = Math.min(rowCount, DECODE_LIMITS.products, Math.floor(DECODE_LIMITS.productCells / columns.size));
  if (decodedRows < rowCount) {
    problems.push(`${rowCount} products in ${columns.size} columns, so only the first ${decodedRows} are decoded`);
  }

  const products: HitProduct[] = [];
  for (let row = 0; row < decodedRows; row++) {
    const product: HitProduct = { id: ids?.cells[row] ?? '', categories: {} };

    const cost = columns.get('co')?.cells[row];
    if (cost !== undefined) {
      product.cost = cost;
    }
    const quantity = columns.get('qn')?.cells[row];
    if (quantity !== undefined) {
      product.quantity = quantity;
    }
    const status = statusForAll ?? statuses?.[row];
    if (status !== undefined) {
      product.status = status;
    }
    for (const key of categoryKeys) {
      const category = columns.get(key)?.cells[row];
      if (category !== undefined) {
        product.categories[key.slice('ca'.length)] = category;
      }
    }

    products.push(product);
  }

  return products;
}

function collectClientHints(
  params: Record<string, string>,
  headers: Map<string, string>,
): Record<string, string> {
  const hints: Record<string, string> = {};
  const headerPrefix = CLIENT_HINT_PREFIX.toLowerCase();

  for (const [name, value] of headers) {
    if (name.startsWith(headerPrefix)) {
      hints[name.toUpperCase()] = value;
    }
  }
  // Parameters are applied last so that they win over headers of the same name.
  for (const [key, value] of Object.entries(params)) {
    if (key.startsWith(CLIENT_HINT_PREFIX)) {
      hints[key] = value;
    }
  }

  return hints;
}

/** Lower-cases header names and keeps only the `X-WT-*` headers, the first value of a repeated one. */
function normalizeHeaderNames(headers: HitLineMeta['headers']): Map<string, string> {
  const normalized = new Map<string, string>();
  if (headers === undefined) {
    return normalized;
  }

  for (const [name, value] of Object.entries(headers)) {
    const lowerName = name.toLowerCase();
    const first = Array.isArray(value) ? value[0] : value;
    if (lowerName.startsWith('x-wt-') && first !== undefined) {
      normalized.set(lowerName, first);
    }
  }

  return normalized;
}

/** Percent-decodes a value, or returns it raw and records a problem when an escape is malformed. */
function decodeComponent(raw: string, what: string, problems: string[]): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    problems.push(`invalid percent-encoding in ${what}: "${truncate(raw)}"`);
    return raw;
  }
}

/** Keeps problem messages readable when a value is a whole line or a long user agent. */
function truncate(value: string, maxLength = 80): string {
  return value.length > maxLength ? `${value.slice(0, maxLength)}...` : value;
}
