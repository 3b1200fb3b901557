const DAY_NAMES = 'Mon|Tue|Wed|Thu|Fri|Sat|Sun';
const LONG_DAY_NAMES = 'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

/** The three HTTP-date formats of RFC 9110, section 5.6.7, each capturing day, month, year and time. */
const HTTP_DATE_FORMATS: ReadonlyArray<{ pattern: RegExp; order: 'day-month-year' | 'month-day-year' }> = [
  // IMF-fixdate, the one format senders may use: `Sun, 06 Nov 1994 08:49:37 GMT`.
  { pattern: new RegExp(`^(?:${DAY_NAMES}), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`), order: 'day-month-year' },
  // RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT`.
  { pattern: new RegExp(`^(?:${LONG_DAY_NAMES}), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`), order: 'day-month-year' },
  // C's asctime(): `Sun Nov  6 08:49:37 1994`, with time before year.
  { pattern: new RegExp(`^(?:${DAY_NAMES}) ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`), order: 'month-day-year' },
];

/**
 * Parse a `Retry-After` header into milliseconds from `now`: delay-seconds (digits only) or an HTTP-date in
 * one of the three formats of RFC 9110. Anything else, such as `1.5`, `-1` or `5, 10`, returns undefined,
 * so the normal backoff applies. `Date.parse` is not used, because it accepts nearly any text as a date.
 */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    return Number(text) * 1000;
  }
  const date = parseHttpDate(text, now);
  return date === undefined ? undefined : Math.max(0, date - now);
}

/** Parse an HTTP-date into epoch milliseconds, or return undefined when it is not one or names no real day. */
function parseHttpDate(text: string, now: number): number | undefined {
  for (const { pattern, order } of HTTP_DATE_FORMATS) {
    const match = pattern.exec(text);
    if (match === null) {
      continue;
    }
    const [day, monthName, year, hour, minute, second] = order === 'day-month-year'
      ? [match[1], match[2], match[3], match[4], match[5], match[6]]
      : [match[2], match[1], match[6], match[3], match[4], match[5]];
    return toEpochMs({
      year: year.length === 2 ? fullYearOf(Number(year), now) : Number(year),
      month: MONTHS.indexOf(monthName),
      day: Number(day.trim()),
      hour: Number(hour),
      minute: Number(minute),
      second: Number(second),
    });
  }
  return undefined;
}

/**
 * Expand the two-digit year of an RFC 850 date. RFC 9110 reads a year that would lie more than 50 years in
 * the future as the most recent past year with the same last two digits.
 */
function fullYearOf(twoDigits: number, now: number): number {
  const thisYear = new Date(now).getUTCFullYear();
  const candidate = thisYear - (thisYear % 100) + twoDigits;
  return candidate > thisYear + 50 ? candidate - 100 : candidate;
}

interface DateFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Return epoch milliseconds of the fields, or undefined for a day or time that does not exist, such as 31 Feb. */
function toEpochMs(fields: DateFields): number | undefined {
  const { year, month, day, hour, minute, second } = fields;
  // A leap second (60) is allowed; Date.UTC carries it into the next minute.
  if (hour > 23 || minute > 59 || second > 60) {
    return undefined;
  }
  const midnight = new Date(Date.UTC(year, month, day));
  if (midnight.getUTCFullYear() !== year || midnight.getUTCMonth() !== month || midnight.getUTCDate() !== day) {
    return undefined;
  }
  return Date.UTC(year, month, day, hour, minute, second);
}
