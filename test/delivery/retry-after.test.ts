import { parseRetryAfter } from '../../src/delivery/retry-after';

const NOW = Date.UTC(2024, 11, 4, 8, 0, 0);

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['120', 120_000],
    [' 5 ', 5000],
  ])('reads delay-seconds %p', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it.each([
    ['IMF-fixdate', 'Wed, 04 Dec 2024 08:00:30 GMT'],
    ['RFC 850', 'Wednesday, 04-Dec-24 08:00:30 GMT'],
    ['asctime', 'Wed Dec  4 08:00:30 2024'],
  ])('reads an HTTP-date as %s', (_format, value) => {
    expect(parseRetryAfter(value, NOW)).toBe(30_000);
  });

  it('reads a past HTTP-date as 0', () => {
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT', NOW)).toBe(0);
  });

  it('reads an RFC 850 year far ahead as last century', () => {
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(0);
  });

  it.each([
    '1.5', '-1', '5, 10', '0x10', '1e3', '+5', '', 'soon', 'garbage 2024',
    '2024-12-04T08:00:30Z', 'Wed, 4 Dec 2024 08:00:30 GMT', 'Wed, 04 Dec 2024 08:00:30 UTC',
    'Fri, 31 Feb 2024 08:00:30 GMT', 'Wed, 04 Dec 2024 25:00:00 GMT', 'Wed Dec 4 08:00:30 2024',
  ])('ignores %p', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });

  it('ignores a header that is not a string', () => {
    expect(parseRetryAfter(['5'], NOW)).toBeUndefined();
  });
});
