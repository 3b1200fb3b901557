import { MAX_MONEY } from '../../src/protocol/money';
import { InvalidOrderError, isCommonValidOrder, normalizeOrder, orderSchema } from '../../src/protocol/order';

function errorOf(input: unknown): InvalidOrderError {
  try {
    normalizeOrder(input);
  } catch (error) {
    return error as InvalidOrderError;
  }
  throw new Error('expected normalizeOrder to throw');
}

describe('normalizeOrder', () => {
  it('turns a numeric order ID into a string', () => {
    expect(normalizeOrder({ id: 1001, value: 5 }).id).toBe('1001');
  });

  it('names a missing value', () => {
    const error = errorOf({ id: 'A-1' });
    expect(error.field).toBe('order.value');
    expect(error.message).toContain('received nothing');
  });

  it('names a string value and shows it', () => {
    const error = errorOf({ id: 'A-1', value: '79.70' });
    expect(error.field).toBe('order.value');
    expect(error.message).toContain('"79.70"');
  });

  it('names the product index of a bad quantity', () => {
    const error = errorOf({ id: 'A-1', value: 5, products: [{ id: 'a', price: 1, quantity: 1 }, { id: 'b', price: 1, quantity: 0.5 }] });
    expect(error.field).toBe('order.products[1].quantity');
    expect(error.message).toContain('whole number');
  });

  it('rejects a lower-case currency', () => {
    expect(errorOf({ id: 'A-1', value: 5, currency: 'eur' }).field).toBe('order.currency');
  });

  it('rejects NaN values', () => {
    expect(errorOf({ id: 'A-1', value: Number.NaN }).field).toBe('order.value');
  });

  it('rejects an unknown field', () => {
    expect(errorOf({ id: 'A-1', value: 1, total: 1 }).message).toContain('not a known field');
  });

  it('rejects a non-object order', () => {
    expect(errorOf('A-1').field).toBe('order');
  });

  it('rejects an empty order ID', () => {
    expect(errorOf({ id: '', value: 1 }).field).toBe('order.id');
  });
});

describe('isCommonValidOrder', () => {
  const product = { id: 'SKU-1', price: 39.9, quantity: 1 };
  const order = { id: 'A-1', value: 79.7, currency: 'EUR', products: [product] };
  const withNullPrototype = Object.assign(Object.create(null) as object, order);
  class ShopOrder {
    id = 'A-1';
    value = 1;
  }

  const common: Array<[string, unknown]> = [
    ['a README order', order],
    ['order ID 0', { id: 0, value: 1 }],
    ['the largest safe order ID', { id: Number.MAX_SAFE_INTEGER, value: 1 }],
    ['a 255-character ID', { id: 'a'.repeat(255), value: 1 }],
    ['a free order', { id: 'A-1', value: 0 }],
    ['a refund', { id: 'A-1', value: -5 }],
    ['the largest value', { id: 'A-1', value: MAX_MONEY }],
    ['no products', { id: 'A-1', value: 1, products: [] }],
    ['1000 products', { id: 'A-1', value: 1, products: Array.from({ length: 1000 }, () => product) }],
    ['a quantity of 1000000', { id: 'A-1', value: 1, products: [{ ...product, quantity: 1_000_000 }] }],
    ['a null prototype', withNullPrototype],
  ];

  const leftToJoi: Array<[string, unknown]> = [
    ['null', null],
    ['an array', [order]],
    ['a class instance', new ShopOrder()],
    ['an empty ID', { id: '', value: 1 }],
    ['a 256-character ID', { id: 'a'.repeat(256), value: 1 }],
    ['a negative ID', { id: -1, value: 1 }],
    ['a fractional ID', { id: 1.5, value: 1 }],
    ['an unsafe ID', { id: Number.MAX_SAFE_INTEGER + 2, value: 1 }],
    ['no value', { id: 'A-1' }],
    ['a string value', { id: 'A-1', value: '79.70' }],
    ['a NaN value', { id: 'A-1', value: Number.NaN }],
    ['an infinite value', { id: 'A-1', value: Number.POSITIVE_INFINITY }],
    ['a value above the maximum', { id: 'A-1', value: MAX_MONEY * 10 }],
    ['a lower-case currency', { ...order, currency: 'eur' }],
    ['a four-letter currency', { ...order, currency: 'EURO' }],
    ['a currency left undefined', { ...order, currency: undefined }],
    ['an unknown field', { ...order, total: 1 }],
    ['categories', { ...order, products: [{ ...product, categories: { 1: 'Shoes' } }] }],
    ['parameters', { ...order, parameters: { 761: 'paypal' } }],
    ['products as an object', { ...order, products: { 0: product } }],
    ['a null product', { ...order, products: [null] }],
    // eslint-disable-next-line no-sparse-arrays
    ['a sparse product list', { ...order, products: [product, , product] }],
    ['1001 products', { ...order, products: Array.from({ length: 1001 }, () => product) }],
    ['an empty product ID', { ...order, products: [{ ...product, id: '' }] }],
    ['an unknown product field', { ...order, products: [{ ...product, name: 'Shoe' }] }],
    ['a NaN price', { ...order, products: [{ ...product, price: Number.NaN }] }],
    ['a quantity of 0', { ...order, products: [{ ...product, quantity: 0 }] }],
    ['a fractional quantity', { ...order, products: [{ ...product, quantity: 0.5 }] }],
    ['a quantity above 1000000', { ...order, products: [{ ...product, quantity: 1_000_001 }] }],
  ];

  it.each(common)('accepts %s', (_name, input) => {
    expect(isCommonValidOrder(input)).toBe(true);
  });

  it.each(common)('agrees with orderSchema on %s', (_name, input) => {
    expect(orderSchema.validate(input, { convert: false }).error).toBeUndefined();
  });

  it.each(leftToJoi)('leaves %s to orderSchema', (_name, input) => {
    expect(isCommonValidOrder(input)).toBe(false);
  });

  it('normalizes a common order like orderSchema does', () => {
    const viaJoi = normalizeOrder({ ...order, parameters: {} });
    expect(normalizeOrder(order)).toEqual(viaJoi);
  });
});
