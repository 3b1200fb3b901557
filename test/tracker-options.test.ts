import express from 'express';

import { captureEid, createTracker, InvalidOptionError, orderConfirmation, orderWebhook, type TrackerOptions } from '../src';
import { silentLogger } from '../src/logger';

const VALID: TrackerOptions = { trackId: '111111111111111', trackDomain: 'q3.webtrekk.net', logger: silentLogger };

function creationError(options: unknown): InvalidOptionError {
  try {
    createTracker(options as TrackerOptions);
  } catch (error) {
    return error as InvalidOptionError;
  }
  throw new Error('expected createTracker to throw');
}

describe('createTracker options', () => {
  it.each([
    ['trackId', { ...VALID, trackId: '123' }, '"123"'],
    ['trackId', { ...VALID, trackId: 111111111111111 }, '111111111111111'],
    ['trackDomain', { ...VALID, trackDomain: 'https://q3.webtrekk.net/' }, '"https://q3.webtrekk.net/"'],
    ['secure', { ...VALID, secure: 'no' }, '"no"'],
    ['timeoutMs', { ...VALID, timeoutMs: 0 }, '0'],
    ['contentId', { ...VALID, contentId: 'order\ud800' }, '"order\\ud800"'],
    ['eidCookies[0]', { ...VALID, eidCookies: ['wt_eid'] }, '"wt_eid"'],
    ['logger', { ...VALID, logger: { info: () => undefined } }, '{}'],
    ['retry.minDelayMs', { ...VALID, retry: { minDelayMs: 0 } }, '0'],
    ['retry.maxAgeMs', { ...VALID, retry: { maxAgeMs: 1.5 } }, '1.5'],
    ['retry.maxDelayMs', { ...VALID, retry: { minDelayMs: 5000, maxDelayMs: 1000 } }, '1000'],
    ['retry.minDelayMs', { ...VALID, retry: { minDelayMs: 100_000 } }, '100000'],
    ['retry.maxDelayMs', { ...VALID, retry: { maxDelayMs: 500 } }, '500'],
    ['maxQueue', { ...VALID, maxQueue: 0 }, '0'],
    ['maxBatchBytes', { ...VALID, maxBatchBytes: 100 }, '100'],
    ['spoolDir', { ...VALID, spoolDir: '' }, '""'],
    ['spoolDir', { ...VALID, spoolDir: '/dev/null/spool' }, '"/dev/null/spool"'],
  ])('rejects a bad %s with its value', (option, options, shown) => {
    const error = creationError(options);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.option).toBe(option);
    expect(error.message).toContain(`received ${shown}`);
  });

  it('names a misspelt option', () => {
    const error = creationError({ ...VALID, trackID: '111111111111111' });
    expect(error.option).toBe('trackID');
    expect(error.message).toContain('Expected "trackId" or one of the known options: trackId');
  });

  it('names a misspelt required option first', () => {
    const { trackDomain: _omitted, ...rest } = VALID;
    const error = creationError({ ...rest, trackDomian: 'q3.webtrekk.net' });
    expect(error.option).toBe('trackDomian');
    expect(error.message).toContain('Expected "trackDomain" or one of the known options');
  });

  it('lists known options without a close match', () => {
    const error = creationError({ ...VALID, colour: 'red' });
    expect(error.message).toContain('Expected one of the known options: trackId, trackDomain');
  });

  it('names a misspelt retry option', () => {
    const error = creationError({ ...VALID, retry: { maxDelay: 1000 } });
    expect(error.option).toBe('retry.maxDelay');
    expect(error.message).toContain('known options: minDelayMs, maxDelayMs, maxAgeMs');
  });

  it('explains a nested option', () => {
    expect(creationError({ ...VALID, retry: { minDelayMs: -1 } }).message)
      .toContain('Expected a whole number of milliseconds from 1 to 600000.');
  });

  it('compares retry.minDelayMs with the default maximum', () => {
    expect(creationError({ ...VALID, retry: { minDelayMs: 100_000 } }).message)
      .toContain('Expected a whole number of milliseconds no greater than retry.maxDelayMs (60000 by default).');
  });

  it('fills in retry defaults', () => {
    const tracker = createTracker({ ...VALID, retry: { minDelayMs: 500, maxAgeMs: undefined } });
    expect(tracker.settings.retry).toEqual({ minDelayMs: 500, maxDelayMs: 60_000, maxAgeMs: 86_400_000 });
  });

  it('rejects a missing options object', () => {
    expect(creationError(undefined).option).toBe('options');
  });

  it('takes undefined as the default', () => {
    const tracker = createTracker({ ...VALID, secure: undefined, timeoutMs: undefined });
    expect(tracker.settings.secure).toBe(true);
    expect(tracker.settings.timeoutMs).toBe(10_000);
  });

  it('does not change the caller object', () => {
    const options = { ...VALID, contentId: undefined };
    const copy = { ...options };
    createTracker(options);
    expect(options).toEqual(copy);
  });

  it('uses a content ID no page uses', () => {
    expect(createTracker(VALID).settings.contentId).toBe('order.s2s.confirmation');
  });
});

describe('middleware factories', () => {
  const tracker = createTracker(VALID);

  it('reject a missing route', () => {
    expect(() => captureEid({ tracker } as never)).toThrow('captureEid() option "route" is invalid: received undefined');
  });

  it('reject a route without leading slash', () => {
    expect(() => captureEid({ tracker, route: 'cart_checkout' })).toThrow('received "cart_checkout"');
  });

  it('reject something that is not a tracker', () => {
    expect(() => orderConfirmation({ tracker: {} as never, order: () => undefined }))
      .toThrow('option "tracker" is invalid');
  });

  it('explain a factory mounted without call', () => {
    const handler = captureEid as unknown as (req: unknown, res: unknown, next: unknown) => void;
    expect(() => handler({ method: 'GET', url: '/' }, {}, () => undefined)).toThrow('was mounted without being called');
  });

  it('run on the expected Express major version', () => {
    const hasParam = typeof (express.request as unknown as { param?: unknown }).param === 'function';
    expect(hasParam).toBe(process.env.MAPP_S2S_EXPRESS === '4');
  });
});

describe('createTracker deduplication options', () => {
  it.each([
    ['claimTtlMs', { ...VALID, claimTtlMs: 0 }, '0'],
    ['visitorTtlMs', { ...VALID, visitorTtlMs: 1.5 }, '1.5'],
    ['optOutCookies[0]', { ...VALID, optOutCookies: ['opt out'] }, '"opt out"'],
    ['claimStore', { ...VALID, claimStore: { claim: () => true } }, '{}'],
    ['visitorStore', { ...VALID, visitorStore: { get: () => undefined } }, '{}'],
  ])('rejects a bad %s with its value', (option, options, shown) => {
    const error = creationError(options);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.option).toBe(option);
    expect(error.message).toContain(`received ${shown}`);
  });

  it('names the store methods it needs', () => {
    expect(creationError({ ...VALID, claimStore: {} }).message).toContain('an object with claim and release methods');
  });

  it('defaults the TTLs and opt-out cookies', () => {
    const { settings } = createTracker(VALID);
    expect(settings.claimTtlMs).toBe(30 * 24 * 3_600_000);
    expect(settings.visitorTtlMs).toBe(7 * 24 * 3_600_000);
    expect(settings.optOutCookies).toEqual(['webtrekkOptOut', 'miCookieOptOut']);
  });

  it('accepts an empty optOutCookies', () => {
    expect(createTracker({ ...VALID, optOutCookies: [] }).settings.optOutCookies).toEqual([]);
  });
});

describe('orderWebhook options', () => {
  const tracker = createTracker(VALID);

  it('reject a missing order callback', () => {
    expect(() => orderWebhook({ tracker } as never)).toThrow('orderWebhook() option "order" is invalid: received undefined');
  });

  it('reject an orderId that is no function', () => {
    expect(() => orderWebhook({ tracker, order: () => undefined, orderId: 'A-1' as never }))
      .toThrow('orderWebhook() option "orderId" is invalid: received "A-1"');
  });
});

describe('createTracker trackDomain', () => {
  it.each([
    '127.0.0.1:99999', '...', '-', 'q3.webtrekk.net:0', 'q3.webtrekk.net:', '-q3.webtrekk.net', 'q3-.webtrekk.net',
    'q3..webtrekk.net', 'q3.webtrekk.net.', '1.2.3', '256.1.1.1', '::1', '[::1', '[q3.webtrekk.net]', '[::1]3002',
    'q3.webtrekk.net/path', 'q3_s2s.webtrekk.net', `${'a'.repeat(64)}.example`,
  ])('rejects %p', (trackDomain) => {
    const error = creationError({ ...VALID, trackDomain });
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.option).toBe('trackDomain');
  });

  it.each([
    'q3.webtrekk.net', 'q3.webtrekk.net:443', 'localhost', '127.0.0.1:3002', '[::1]:3002', '[2001:db8::1]', 'xn--bcher-kva.example',
  ])('accepts %p', (trackDomain) => {
    expect(createTracker({ ...VALID, trackDomain }).settings.trackDomain).toBe(trackDomain);
  });

  it('explains what is allowed', () => {
    expect(creationError({ ...VALID, trackDomain: '-' }).message).toContain('Expected a host name, an IPv4 address or a bracketed IPv6 address');
  });
});

describe('createTracker session keys', () => {
  it.each(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'cookie', 'save', 'isNew', '_eid'])('rejects %p', (key) => {
    for (const option of ['sessionKey', 'visitorSessionKey']) {
      const error = creationError({ ...VALID, [option]: key });
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(error.option).toBe(option);
    }
  });

  it('explains a reserved key', () => {
    expect(creationError({ ...VALID, visitorSessionKey: '__proto__' }).message)
      .toContain('received "__proto__". Expected a non-empty string of at most 100 characters that does not start with "_"');
  });

  it('rejects a visitorSessionKey equal to the default sessionKey', () => {
    const error = creationError({ ...VALID, visitorSessionKey: 'webtrekk_eid' });
    expect(error.option).toBe('visitorSessionKey');
    expect(error.message).toContain('Expected a session key other than sessionKey ("webtrekk_eid")');
  });

  it('rejects a sessionKey equal to the default visitorSessionKey', () => {
    const error = creationError({ ...VALID, sessionKey: 'mapp_s2s_visitor' });
    expect(error.option).toBe('sessionKey');
    expect(error.message).toContain('Expected a session key other than visitorSessionKey ("mapp_s2s_visitor" by default)');
  });

  it('names visitorSessionKey when both are equal', () => {
    expect(creationError({ ...VALID, sessionKey: 'shop_eid', visitorSessionKey: 'shop_eid' }).option).toBe('visitorSessionKey');
  });
});
