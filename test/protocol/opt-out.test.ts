import { DEFAULT_OPT_OUT_COOKIES, hasOptOutCookie } from '../../src/protocol/opt-out';

describe('hasOptOutCookie', () => {
  it.each([
    ['with a value', 'webtrekkOptOut=1'],
    ['with an empty value', 'webtrekkOptOut='],
    ['without =', 'webtrekkOptOut'],
    ['without = among others', 'sid=abc; miCookieOptOut ; wt3_eid=x'],
  ])('finds a cookie %s', (_label, header) => {
    expect(hasOptOutCookie(header, DEFAULT_OPT_OUT_COOKIES)).toBe(true);
  });

  it.each([
    ['another cookie', 'sid=abc'],
    ['the name as a value', 'sid=webtrekkOptOut'],
    ['a longer name', 'webtrekkOptOutX'],
  ])('ignores %s', (_label, header) => {
    expect(hasOptOutCookie(header, DEFAULT_OPT_OUT_COOKIES)).toBe(false);
  });
});
