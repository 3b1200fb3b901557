import { InvalidOrderError, normalizeOrder } from '../../src/protocol/order';

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

describe('normalizeOrder text fields', () => {
  it.each([
    ['order.id', { id: 'A\ud800', value: 1 }],
    ['order.products[0].id', { id: 'A-1', value: 1, products: [{ id: 'SKU\udc00', price: 1, quantity: 1 }] }],
    ['order.products[0].categories.1', { id: 'A-1', value: 1, products: [{ id: 'SKU-1', price: 1, quantity: 1, categories: { 1: '\ud83d' } }] }],
    ['order.parameters.761', { id: 'A-1', value: 1, parameters: { 761: 'pay\udbffpal' } }],
  ])('rejects a lone surrogate in %s', (field, order) => {
    const error = errorOf(order);
    expect(error.field).toBe(field);
    expect(error.message).toContain('lone surrogate');
  });

  it('accepts a surrogate pair', () => {
    expect(normalizeOrder({ id: 'A-\ud83d\ude00', value: 1 }).id).toBe('A-\u{1F600}');
  });
});

describe('normalizeOrder numeric parameters', () => {
  it.each([
    ['NaN', Number.NaN, 'NaN'],
    ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
    ['an unsafe number', 1e21, '1e+21'],
    ['a figure beyond decimal(12,2)', 10_000_000_000, '10000000000'],
  ])('rejects %s', (_label, value, shown) => {
    const error = errorOf({ id: 'A-1', value: 1, parameters: { 764: value } });
    expect(error.field).toBe('order.parameters.764');
    expect(error.message).toContain(`received ${shown}`);
    expect(error.message).toContain('with at most two decimals');
  });

  it('accepts the largest figure', () => {
    expect(normalizeOrder({ id: 'A-1', value: 1, parameters: { 764: -9_999_999_999.99 } }).parameters[764]).toBe(-9_999_999_999.99);
  });
});

describe('normalizeOrder line totals', () => {
  it('rejects a line total beyond the limit', () => {
    const error = errorOf({ id: 'A-1', value: 1, products: [
      { id: 'a', price: 1, quantity: 1 },
      { id: 'b', price: 9_999_999_999.99, quantity: 1_000_000 },
    ] });
    expect(error.field).toBe('order.products[1]');
    expect(error.message).toContain('received {"price":9999999999.99,"quantity":1000000}');
    expect(error.message).toContain('beyond 9999999999.99');
  });

  it('rejects a negative line total beyond the limit', () => {
    expect(errorOf({ id: 'A-1', value: 1, products: [{ id: 'a', price: -20_000, quantity: 1_000_000 }] }).field)
      .toBe('order.products[0]');
  });

  it('accepts a line total at the limit', () => {
    // 1000001 cents × 999999 = 999999999999 cents, exactly the limit.
    expect(normalizeOrder({ id: 'A-1', value: 1, products: [{ id: 'a', price: 10_000.01, quantity: 999_999 }] }).products).toHaveLength(1);
  });

  it('rejects a line total one step above', () => {
    expect(errorOf({ id: 'A-1', value: 1, products: [{ id: 'a', price: 10_000.02, quantity: 999_999 }] }).field)
      .toBe('order.products[0]');
  });
});
