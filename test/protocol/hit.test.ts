import { buildHit } from '../../src/protocol/hit';
import { normalizeOrder, type Order } from '../../src/protocol/order';

const ORDER_TIME = 1733300000000;

function hitParams(order: Order, visitor = {}): { line: string; params: URLSearchParams; changed: string[] } {
  const { line, changedProductIds } = buildHit({
    order: normalizeOrder(order), visitor, contentId: 'order.s2s.confirmation', orderTimeMs: ORDER_TIME,
  });
  return { line, params: new URLSearchParams(line.slice('wt?'.length)), changed: changedProductIds };
}

const sampleOrder: Order = {
  id: 'A-1001', value: 79.7, currency: 'EUR',
  products: [{ id: 'SKU-1', price: 39.9, quantity: 1 }, { id: 'SKU-2', price: 19.9, quantity: 2 }],
};

describe('buildHit', () => {
  it('starts with the p parameter of a server hit', () => {
    expect(hitParams(sampleOrder).line.startsWith(`wt?p=600,order.s2s.confirmation,,,,,${ORDER_TIME},0,,&`)).toBe(true);
  });

  it('writes order value, ID and currency', () => {
    const { params } = hitParams(sampleOrder);
    expect([params.get('ov'), params.get('oi'), params.get('cr')]).toEqual(['79.7', 'A-1001', 'EUR']);
  });

  it('writes aligned product columns', () => {
    const { params } = hitParams(sampleOrder);
    expect(params.get('ba')).toBe('SKU-1;SKU-2');
    expect(params.get('co')).toBe('39.9;39.8');
    expect(params.get('qn')).toBe('1;2');
    expect(params.get('st')).toBe('conf;conf');
  });

  it('writes visitor fields', () => {
    const { params } = hitParams(sampleOrder, {
      eid: '2170000000000000001', ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11)',
      clientHints: { 'sec-ch-ua-platform': '"Linux"' },
    });
    expect(params.get('eid')).toBe('2170000000000000001');
    expect(params.get('X-WT-IP')).toBe('203.0.113.7');
    expect(params.get('X-WT-UA')).toBe('Mozilla/5.0 (X11)');
    expect(params.get('X-WT-SEC-CH-UA-PLATFORM')).toBe('"Linux"');
  });

  it('leaves out absent visitor fields', () => {
    const { params } = hitParams(sampleOrder);
    expect(params.has('eid')).toBe(false);
    expect(params.has('X-WT-IP')).toBe(false);
    expect(params.has('X-WT-UA')).toBe(false);
  });

  it('sends a free order as ov=0', () => {
    expect(hitParams({ id: 'F-1', value: 0 }).params.get('ov')).toBe('0');
  });

  it('removes float noise from money', () => {
    const { params } = hitParams({ id: 'N-1', value: 0.1 + 0.2, products: [{ id: 'a', price: 0.1 + 0.2, quantity: 3 }] });
    expect(params.get('ov')).toBe('0.3');
    expect(params.get('co')).toBe('0.9');
  });

  it('encodes spaces, ampersands and line breaks', () => {
    const { line } = hitParams({ id: 'A 1&x=y\r\n2', value: 1 }, { userAgent: 'UA with spaces & more\n' });
    expect(line).not.toMatch(/[ \r\n]/);
    expect(line.split('&').some((part) => part.startsWith('x='))).toBe(false);
  });

  it('encodes commas inside the content ID', () => {
    const { line } = buildHit({ order: normalizeOrder(sampleOrder), visitor: {}, contentId: 'a,b c', orderTimeMs: ORDER_TIME });
    expect(line.startsWith('wt?p=600,a%2Cb%20c,,,,,')).toBe(true);
  });

  it('replaces lone surrogates instead of throwing', () => {
    expect(() => hitParams(sampleOrder, { userAgent: 'bad \uD800 surrogate' })).not.toThrow();
  });

  it('keeps columns aligned when a product ID contains a semicolon', () => {
    const { params, changed } = hitParams({ id: 'S-1', value: 3, products: [{ id: 'a;b', price: 1, quantity: 1 }, { id: 'c', price: 2, quantity: 1 }] });
    expect(params.get('ba')).toBe('a_b;c');
    expect(params.get('co')?.split(';')).toHaveLength(2);
    expect(changed).toEqual(['a;b']);
  });

  it('aligns category columns across products', () => {
    const { params } = hitParams({
      id: 'C-1', value: 3,
      products: [{ id: 'a', price: 1, quantity: 1, categories: { 1: 'Shoes' } }, { id: 'b', price: 2, quantity: 1, categories: { 2: 'Red' } }],
    });
    expect(params.get('ca1')).toBe('Shoes;');
    expect(params.get('ca2')).toBe(';Red');
  });

  it('writes order parameters as cb<N>', () => {
    expect(hitParams({ id: 'P-1', value: 3, parameters: { 761: 'paypal', 563: 5 } }).params.get('cb761')).toBe('paypal');
  });

  it.each([
    ['float noise', 0.1 + 0.2, '0.3'],
    ['a product of floats', 4.9 * 3, '14.7'],
    ['an exponent', 1e-7, '0'],
    ['a half cent', 1.005, '1.01'],
    ['a large figure', 9_999_999_999.99, '9999999999.99'],
  ])('writes a numeric cb<N> with %s as money', (_label, value, sent) => {
    expect(hitParams({ id: 'P-1', value: 3, parameters: { 764: value } }).params.get('cb764')).toBe(sent);
  });

  it('writes the line total in cents', () => {
    expect(hitParams({ id: 'C-1', value: 1, products: [{ id: 'a', price: 0.07, quantity: 3 }] }).params.get('co')).toBe('0.21');
  });

  it('omits product columns for an order without products', () => {
    expect(hitParams({ id: 'E-1', value: 3 }).params.has('ba')).toBe(false);
  });
});

describe('buildHit for an opted-out visitor', () => {
  it('writes nc=1 and no visitor fields', () => {
    const { params } = hitParams(sampleOrder, {
      eid: '2170000000000000001', ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11)',
      clientHints: { 'sec-ch-ua-platform': '"Linux"' }, optedOut: true,
    });
    expect(params.get('nc')).toBe('1');
    expect(params.has('eid')).toBe(false);
    expect(params.has('X-WT-IP')).toBe(false);
    expect(params.has('X-WT-UA')).toBe(false);
    expect(params.has('X-WT-SEC-CH-UA-PLATFORM')).toBe(false);
  });

  it('still writes the order', () => {
    const { params } = hitParams(sampleOrder, { optedOut: true });
    expect([params.get('ov'), params.get('oi')]).toEqual(['79.7', 'A-1001']);
  });

  it('writes no nc otherwise', () => {
    expect(hitParams(sampleOrder, { eid: '2170000000000000001' }).params.has('nc')).toBe(false);
  });
});
