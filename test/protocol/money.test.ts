import { formatCents, formatMoney, toCents } from '../../src/protocol/money';

describe('formatMoney', () => {
  it.each([
    [0.1 + 0.2, '0.3'],
    [79.7, '79.7'],
    [39.9 * 2, '79.8'],
    [0, '0'],
    [-0, '0'],
    [1.005, '1.01'],
    [19.999, '20'],
    [0.05, '0.05'],
    [-12.5, '-12.5'],
    [9_999_999_999.99, '9999999999.99'],
  ])('formats %p as %s', (amount, expected) => {
    expect(formatMoney(amount)).toBe(expected);
  });
});

describe('toCents', () => {
  it('rounds half away from zero for negatives', () => {
    expect(toCents(-1.005)).toBe(-101);
  });
});

describe('formatCents', () => {
  it('keeps a single decimal without trailing zero', () => {
    expect(formatCents(7970)).toBe('79.7');
  });
});
