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
  const slowCents = (amount: number): number => Math.round(Number((amount * 100).toPrecision(15)));

  it('rounds half away from zero for negatives', () => {
    expect(toCents(-1.005)).toBe(-101);
  });

  it('matches toPrecision rounding on cents', () => {
    const mismatches: number[] = [];
    for (let whole = 0; whole < 2000; whole += 1) {
      for (let cents = 0; cents < 100; cents += 1) {
        const amount = whole + cents / 100;
        if (toCents(amount) !== slowCents(amount)) {
          mismatches.push(amount);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('matches toPrecision rounding on thousandths', () => {
    const mismatches: number[] = [];
    for (let thousandths = 0; thousandths < 200_000; thousandths += 1) {
      const amount = thousandths / 1000;
      if (toCents(amount) !== slowCents(amount)) {
        mismatches.push(amount);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('formatCents', () => {
  it('keeps a single decimal without trailing zero', () => {
    expect(formatCents(7970)).toBe('79.7');
  });
});
