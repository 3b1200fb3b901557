/**
 * Money on the wire: Mapp stores figures as decimal(12,2), so every amount goes out with `.` and at most
 * two decimals. Amounts are handled as integer cents, which keeps float noise (0.1 + 0.2) out of the hit.
 */

/** Largest figure Mapp stores: 9,999,999,999.99. */
export const MAX_MONEY = 9_999_999_999.99;

/** MAX_MONEY in cents. Every whole number of cents up to it is exact in a double. */
export const MAX_CENTS = 999_999_999_999;

export function toCents(amount: number): number {
  const scaled = Math.abs(amount) * 100;
  let rounded = Math.round(scaled);
  // An amount with at most two decimals lands within float noise of whole cents. Anything else goes
  // through toPrecision(15), which drops the binary noise of the multiplication, so 1.005 becomes 100.5
  // cents, not 100.4999. Both give the same cents where the first applies, and the first is faster.
  if (Math.abs(scaled - rounded) >= 1e-6) {
    rounded = Math.round(Number(scaled.toPrecision(15)));
  }
  return amount < 0 && rounded !== 0 ? -rounded : rounded;
}

export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  const whole = Math.floor(absolute / 100);
  const fraction = absolute % 100;

  if (fraction === 0) {
    return `${sign}${whole}`;
  }

  const decimals = String(fraction).padStart(2, '0').replace(/0$/, '');
  return `${sign}${whole}.${decimals}`;
}

export function formatMoney(amount: number): string {
  return formatCents(toCents(amount));
}

/**
 * Compute a product line's total (`co`) in cents: the unit price rounded to cents, times the quantity.
 * Integer cents keep float noise out, and the result is exact while it stays within MAX_CENTS.
 */
export function lineTotalCents(price: number, quantity: number): number {
  return toCents(price) * quantity;
}
