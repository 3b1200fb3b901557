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
