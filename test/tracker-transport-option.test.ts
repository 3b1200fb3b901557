import { createTracker, InvalidOptionError, type Transport, type TrackerOptions } from '../src';
import { silentLogger } from '../src/logger';
import { createFakeTransport } from './helpers/fake-transport';

const VALID: TrackerOptions = { trackId: '111111111111111', trackDomain: 'q3.webtrekk.net', logger: silentLogger };

describe('createTracker transport option', () => {
  it.each([
    ['{}', {}],
    ['send only', { send: async () => ({ status: 200 }) }],
    ['close not a function', { send: async () => ({ status: 200 }), close: true }],
  ])('rejects a transport with %s', (_case, transport) => {
    const create = () => createTracker({ ...VALID, transport: transport as unknown as Transport });

    expect(create).toThrow(InvalidOptionError);
    expect(create).toThrow('option "transport" is invalid');
  });

  it('accepts a transport with send and close', async () => {
    const tracker = createTracker({ ...VALID, transport: createFakeTransport() });

    await expect(tracker.close({ timeoutMs: 0 })).resolves.toBeUndefined();
  });
});
