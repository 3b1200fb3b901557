import { formatCents, formatMoney, lineTotalCents } from './money';
import type { NormalizedOrder } from './order';
import { CLIENT_HINT_PARAMETERS, type Visitor } from './visitor';

/** Mapp's documented fixed library version for server-to-server hits. */
const PIXEL_VERSION = '600';

/** One request is at most 7 KB on Mapp's side; longer hits may be cut there. */
export const MAX_HIT_BYTES = 7 * 1024;

export interface HitInput {
  order: NormalizedOrder;
  visitor: Visitor;
  /** Page name of the order hit. */
  contentId: string;
  /** Order time in epoch milliseconds; stays the same through every retry. */
  orderTimeMs: number;
}

export interface BuiltHit {
  /** The request line after the track ID path, `wt?p=600,...`, as a batch body line. */
  line: string;
  /** Product IDs that contained `;` and were changed so the product columns stay aligned. */
  changedProductIds: string[];
}

/**
 * Encode one key or value. `toWellFormed` replaces lone surrogates, which `encodeURIComponent` would throw
 * on, and the encoding leaves no space, `&`, `;` or line break that could split the hit or a batch line.
 */
export function encodeComponent(value: string): string {
  // Most keys and values need no escape; testing for that is cheaper than encoding.
  return UNRESERVED.test(value) ? value : encodeURIComponent(value.toWellFormed());
}

/** The characters encodeURIComponent leaves as they are. */
const UNRESERVED = /^[A-Za-z0-9\-_.!~*'()]*$/;

// `;` separates products inside every product column, so it cannot appear inside one product's value.
const COLUMN_SEPARATOR = ';';
const SEPARATOR_REPLACEMENT = '_';

/**
 * Build the order hit: `wt?p=600,<contentId>,,,,,<time>,0,,&eid=...&ov=...&ba=...`. Pure; never throws for a
 * normalized order. An opted-out visitor gets `nc=1`, the anonymous flag of Mapp's Smart Pixel, in place of
 * every visitor field.
 */
export function buildHit({ order, visitor, contentId, orderTimeMs }: HitInput): BuiltHit {
  const pageField = `${PIXEL_VERSION},${encodeComponent(contentId)},,,,,${Math.trunc(orderTimeMs)},0,,`;
  const parameters: Array<[string, string]> = visitor.optedOut ? [['nc', '1']] : visitorParameters(visitor);

  parameters.push(['ov', formatMoney(order.value)], ['oi', order.id]);
  if (order.currency) {
    parameters.push(['cr', order.currency]);
  }
  for (const [id, value] of sortedEntries(order.parameters)) {
    // A number in cb<N> is a figure, so it goes out like ov: at most two decimals, no exponent.
    parameters.push([`cb${id}`, typeof value === 'number' ? formatMoney(value) : value]);
  }

  const changedProductIds = appendProductColumns(order, parameters);

  const query = parameters.map(([key, value]) => `${encodeComponent(key)}=${encodeComponent(value)}`).join('&');
  return { line: `wt?p=${pageField}&${query}`, changedProductIds };
}

function visitorParameters(visitor: Visitor): Array<[string, string]> {
  const parameters: Array<[string, string]> = [];

  if (visitor.eid) {
    parameters.push(['eid', visitor.eid]);
  }
  if (visitor.ip) {
    parameters.push(['X-WT-IP', visitor.ip]);
  }
  if (visitor.userAgent) {
    parameters.push(['X-WT-UA', visitor.userAgent]);
  }
  for (const [header, parameter] of Object.entries(CLIENT_HINT_PARAMETERS)) {
    const hint = visitor.clientHints?.[header];
    if (hint) {
      parameters.push([parameter, hint]);
    }
  }

  return parameters;
}

function appendProductColumns(order: NormalizedOrder, parameters: Array<[string, string]>): string[] {
  const products = order.products;
  if (products.length === 0) {
    return [];
  }

  const changed: string[] = [];
  const ids = products.map((product) => {
    if (!product.id.includes(COLUMN_SEPARATOR)) {
      return product.id;
    }
    changed.push(product.id);
    return product.id.split(COLUMN_SEPARATOR).join(SEPARATOR_REPLACEMENT);
  });

  parameters.push(
    ['ba', ids.join(COLUMN_SEPARATOR)],
    ['co', products.map((product) => formatCents(lineTotalCents(product.price, product.quantity))).join(COLUMN_SEPARATOR)],
    ['qn', products.map((product) => String(product.quantity)).join(COLUMN_SEPARATOR)],
    ['st', products.map(() => 'conf').join(COLUMN_SEPARATOR)],
  );

  // Every category ID used by any product gets a slot for every product, so rows stay aligned.
  const categoryIds = [...new Set(products.flatMap((product) => Object.keys(product.categories ?? {})))]
    .sort((a, b) => Number(a) - Number(b));
  for (const categoryId of categoryIds) {
    const column = products.map((product) =>
      (product.categories?.[categoryId] ?? '').split(COLUMN_SEPARATOR).join(SEPARATOR_REPLACEMENT));
    parameters.push([`ca${categoryId}`, column.join(COLUMN_SEPARATOR)]);
  }

  return changed;
}

function sortedEntries<T>(record: Readonly<Record<string, T>>): Array<[string, T]> {
  return Object.entries(record).sort(([a], [b]) => Number(a) - Number(b));
}
