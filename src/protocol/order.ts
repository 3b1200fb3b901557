import Joi from 'joi';

import { MAX_MONEY } from './money';
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
  /** E-commerce parameters by parameter ID, sent as `cb<ID>`, for example `{ 761: 'paypal' }`. */
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
const MAX_PRODUCTS = 1000;
const MAX_QUANTITY = 1_000_000;
const CURRENCY_PATTERN = /^[A-Z]{3}$/;
const parameterId = Joi.string().pattern(/^[1-9]\d{0,3}$/);
const text = Joi.string().min(1).max(MAX_TEXT);
const money = Joi.number().min(-MAX_MONEY).max(MAX_MONEY);

const productSchema = Joi.object({
  id: text.required(),
  price: money.required(),
  quantity: Joi.number().integer().min(1).max(MAX_QUANTITY).required(),
  categories: Joi.object().pattern(parameterId, text),
});

export const orderSchema = Joi.object({
  id: Joi.alternatives(text, Joi.number().integer().min(0).max(Number.MAX_SAFE_INTEGER)).required(),
  value: money.required(),
  currency: Joi.string().pattern(CURRENCY_PATTERN),
  products: Joi.array().items(productSchema).max(MAX_PRODUCTS),
  parameters: Joi.object().pattern(parameterId, Joi.alternatives(text, Joi.number())),
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
  parameters: 'must be an object of parameter ID (1 to 9999) to a number or non-empty text of at most 255 characters',
};

/** Validate a shop's order and return it normalized. Throws InvalidOrderError naming the field and value. */
export function normalizeOrder(input: unknown): NormalizedOrder {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidOrderError('order', input, 'must be an object such as { id, value, products }');
  }

  if (isCommonValidOrder(input)) {
    return normalizedCopy(input as Order);
  }

  const { error, value } = orderSchema.validate(input, { abortEarly: true, convert: false });
  if (error) {
    const detail = error.details[0];
    const path = detail.path;
    const field = path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('').replace(/^\./, '');
    const hintKey = path.filter((part) => typeof part === 'string').slice(0, 2).join('.');
    const hint = detail.type === 'object.unknown'
      ? 'is not a known field; known fields are id, value, currency, products, parameters (products: id, price, quantity, categories)'
      : HINTS[hintKey] ?? HINTS[String(path[0])] ?? detail.message;
    throw new InvalidOrderError(`order.${field}`, detail.context?.value, hint);
  }

  return normalizedCopy(value as Order);
}

function normalizedCopy(order: Order): NormalizedOrder {
  return {
    id: String(order.id),
    value: order.value,
    currency: order.currency,
    products: (order.products ?? []).map((product) => ({ ...product })),
    parameters: { ...(order.parameters ?? {}) },
  };
}

/*
 * joi validates a two-product order in about 5.6 µs in a loop, and in up to 15 µs under the load of
 * `npm run bench` (figure 3, on the 2-core machine in BENCHMARKS.md): a large part of what tracking adds to
 * a confirmation request. This check accepts the common shape of an order (ID, value, currency, products
 * without categories) in about 0.5 µs. It must stay a strict subset of orderSchema, because whatever it does
 * not accept goes to joi, which accepts it or words the error. test/protocol/order.test.ts checks that the
 * two agree.
 */

const COMMON_ORDER_KEYS = new Set(['id', 'value', 'currency', 'products']);
const COMMON_PRODUCT_KEYS = new Set(['id', 'price', 'quantity']);

/** Test whether orderSchema accepts `order` as it is, for orders without categories and parameters. */
export function isCommonValidOrder(order: unknown): boolean {
  if (!isPlainObject(order) || !hasOnlyKeys(order, COMMON_ORDER_KEYS)) {
    return false;
  }
  const { id, value, currency, products } = order as Record<string, unknown>;
  const validId = isText(id) || (Number.isInteger(id) && (id as number) >= 0 && (id as number) <= Number.MAX_SAFE_INTEGER);
  return validId
    && isMoney(value)
    && (currency === undefined || (typeof currency === 'string' && CURRENCY_PATTERN.test(currency)))
    && (products === undefined || areCommonProducts(products));
}

function areCommonProducts(products: unknown): boolean {
  if (!Array.isArray(products) || products.length > MAX_PRODUCTS) {
    return false;
  }
  for (let index = 0; index < products.length; index += 1) {
    const product: unknown = products[index];
    if (!isPlainObject(product) || !hasOnlyKeys(product, COMMON_PRODUCT_KEYS)) {
      return false;
    }
    const { id, price, quantity } = product as Record<string, unknown>;
    const validQuantity = Number.isInteger(quantity) && (quantity as number) >= 1 && (quantity as number) <= MAX_QUANTITY;
    if (!isText(id) || !isMoney(price) || !validQuantity) {
      return false;
    }
  }
  return true;
}

function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Check that every own key is in `allowed` and no value is undefined, which joi treats as absent. */
function hasOnlyKeys(value: object, allowed: ReadonlySet<string>): boolean {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key) || (value as Record<string, unknown>)[key] === undefined) {
      return false;
    }
  }
  return true;
}

function isText(value: unknown): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= MAX_TEXT;
}

function isMoney(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= -MAX_MONEY && value <= MAX_MONEY;
}
