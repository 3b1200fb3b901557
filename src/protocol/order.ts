import Joi from 'joi';

import { lineTotalCents, MAX_CENTS, MAX_MONEY } from './money';
import { showValue } from './show-value';

/** One purchased product line. */
export interface OrderProduct {
  /** Product ID or SKU, sent as `ba`. */
  id: string;
  /** Unit price; the hit carries price × quantity as `co`. */
  price: number;
  /** Number of units, sent as `qn`. */
  quantity: number;
  /** Product categories by category ID, sent as `ca<ID>`, for example `{ 1: 'Shoes' }`. */
  categories?: Readonly<Record<string, string>>;
}

/** A confirmed order as the shop describes it. */
export interface Order {
  /** Order ID, sent as `oi`; Mapp counts an order ID once. */
  id: string | number;
  /** Total order value, sent as `ov`. 0 is a valid free order. */
  value: number;
  /** ISO 4217 currency code, sent as `cr`. */
  currency?: string;
  products?: ReadonlyArray<OrderProduct>;
  /**
   * E-commerce parameters by parameter ID, sent as `cb<ID>`, for example `{ 761: 'paypal' }`. A number is a
   * figure and is sent like money, with at most two decimals.
   */
  parameters?: Readonly<Record<string, string | number>>;
}

/** An order after validation: the ID is a string and every optional list is present. */
export interface NormalizedOrder {
  id: string;
  value: number;
  currency?: string;
  products: OrderProduct[];
  parameters: Record<string, string | number>;
}

// Mapp cuts text parameters at 255 characters, so longer IDs would be merged silently on Mapp's side.
const MAX_TEXT = 255;
const parameterId = Joi.string().pattern(/^[1-9]\d{0,3}$/);
// A lone surrogate goes out as U+FFFD, so 'A\ud800' and 'A\udbff' would be sent, and claimed, as one order ID.
const text = Joi.string().min(1).max(MAX_TEXT)
  .custom((value: string, helpers) => (value.isWellFormed() ? value : helpers.error('string.wellFormed')))
  .messages({ 'string.wellFormed': '{{#label}} is not well-formed Unicode' });
const money = Joi.number().min(-MAX_MONEY).max(MAX_MONEY);

const productSchema = Joi.object({
  id: text.required(),
  price: money.required(),
  quantity: Joi.number().integer().min(1).max(1_000_000).required(),
  categories: Joi.object().pattern(parameterId, text),
});

export const orderSchema = Joi.object({
  id: Joi.alternatives(text, Joi.number().integer().min(0).max(Number.MAX_SAFE_INTEGER)).required(),
  value: money.required(),
  currency: Joi.string().pattern(/^[A-Z]{3}$/),
  products: Joi.array().items(productSchema).max(1000),
  parameters: Joi.object().pattern(parameterId, Joi.alternatives(text, money)),
});

export class InvalidOrderError extends Error {
  override readonly name = 'InvalidOrderError';
  readonly field: string;
  readonly value: unknown;

  constructor(field: string, value: unknown, detail: string) {
    super(`mapp-s2s: invalid order field ${field}: received ${value === undefined ? 'nothing' : showValue(value)}. It ${detail}.`);
    this.field = field;
    this.value = value;
  }
}

const HINTS: Record<string, string> = {
  id: 'must be a non-empty string of at most 255 characters or a non-negative integer',
  value: `must be a number from -${MAX_MONEY} to ${MAX_MONEY} (0 is a valid free order)`,
  currency: 'must be an ISO 4217 code of three capital letters, such as "EUR"',
  products: 'must be an array of at most 1000 products',
  'products.id': 'must be a non-empty string of at most 255 characters',
  'products.price': `must be a number from -${MAX_MONEY} to ${MAX_MONEY}`,
  'products.quantity': 'must be a whole number from 1 to 1000000',
  'products.categories': 'must be an object of category ID (1 to 9999) to non-empty text of at most 255 characters',
  parameters: 'must be an object of parameter ID (1 to 9999) to non-empty text of at most 255 characters '
    + `or a number from -${MAX_MONEY} to ${MAX_MONEY}, which is sent like money, with at most two decimals`,
};

const NOT_WELL_FORMED = 'must be well-formed Unicode text, but contains a lone surrogate (half of a UTF-16 pair), '
  + 'which would be sent as U+FFFD and could match another value';

/** Validate a shop's order and return it normalized. Throws InvalidOrderError naming the field and value. */
export function normalizeOrder(input: unknown): NormalizedOrder {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidOrderError('order', input, 'must be an object such as { id, value, products }');
  }

  const { error, value } = orderSchema.validate(input, { abortEarly: true, convert: false });
  if (error) {
    const detail = error.details[0];
    const path = detail.path;
    const field = path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('').replace(/^\./, '');
    const hintKey = path.filter((part) => typeof part === 'string').slice(0, 2).join('.');
    throw new InvalidOrderError(`order.${field}`, detail.context?.value, hintFor(detail.type, hintKey, String(path[0]), detail.message));
  }

  const order = value as Order;
  checkLineTotals(order.products ?? []);
  return {
    id: String(order.id),
    value: order.value,
    currency: order.currency,
    products: (order.products ?? []).map((product) => ({ ...product })),
    parameters: { ...(order.parameters ?? {}) },
  };
}

function hintFor(type: string, hintKey: string, topLevelKey: string, joiMessage: string): string {
  if (type === 'object.unknown') {
    return 'is not a known field; known fields are id, value, currency, products, parameters (products: id, price, quantity, categories)';
  }
  if (type === 'string.wellFormed') {
    return NOT_WELL_FORMED;
  }
  return HINTS[hintKey] ?? HINTS[topLevelKey] ?? joiMessage;
}

/** Reject a product whose line total, sent as `co`, is beyond the largest figure Mapp stores. */
function checkLineTotals(products: ReadonlyArray<OrderProduct>): void {
  products.forEach(({ price, quantity }, index) => {
    if (Math.abs(lineTotalCents(price, quantity)) > MAX_CENTS) {
      throw new InvalidOrderError(`order.products[${index}]`, { price, quantity },
        `has a line total (price × quantity, sent as co) beyond ${MAX_MONEY} in absolute value, the largest figure Mapp stores`);
    }
  });
}
