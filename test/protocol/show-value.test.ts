import { showValue } from '../../src/protocol/show-value';

describe('showValue', () => {
  it.each([
    ['NaN', Number.NaN, 'NaN'],
    ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
    ['-Infinity', Number.NEGATIVE_INFINITY, '-Infinity'],
    ['a bigint', 10n, '10n'],
    ['a symbol', Symbol('key'), 'Symbol(key)'],
    ['a string', 'A-1', '"A-1"'],
    ['a number', 1e21, '1e+21'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['a named function', function loadOrder() {}, 'a function named loadOrder'],
    ['a RegExp', /^\/cart/, '/^\\/cart/'],
    ['a Date', new Date(0), '"1970-01-01T00:00:00.000Z"'],
    ['NaN in an object', { price: Number.NaN, quantity: 2 }, '{"price":NaN,"quantity":2}'],
    ['a bigint in an array', [1n, Number.POSITIVE_INFINITY], '[1n,Infinity]'],
    ['an object of methods', { info: () => undefined }, '{}'],
    ['a lone surrogate', 'A\ud800', '"A\\ud800"'],
  ])('shows %s', (_label, value, shown) => {
    expect(showValue(value)).toBe(shown);
  });

  it('marks a cycle', () => {
    const order: Record<string, unknown> = { id: 'A-1' };
    order.self = order;
    expect(showValue(order)).toBe('{"id":"A-1","self":[Circular]}');
  });

  it('cuts a long value', () => {
    expect(showValue('x'.repeat(500))).toBe(`"${'x'.repeat(96)}...`);
  });

  it('cuts a huge array early', () => {
    expect(showValue(new Array(1e9))).toBe(`[${'null,'.repeat(19)}n...`);
  });

  it('shows the type when a getter throws', () => {
    const broken = { get price(): number { throw new Error('no price'); } };
    expect(showValue(broken)).toBe('[object Object]');
  });
});
