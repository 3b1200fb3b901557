interface DemoConfig {
  ports: { shop: number; psp: number; collector: number };
  mapp: { trackId: string; trackDomain: string } | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readDemoConfig } = require('../../demo-app/config') as { readDemoConfig(env: Record<string, string>): DemoConfig };

describe('readDemoConfig', () => {
  test('defaults without variables', () => {
    expect(readDemoConfig({})).toEqual({ ports: { shop: 3000, psp: 3001, collector: 3002 }, mapp: undefined });
  });

  test('ports from variables', () => {
    const config = readDemoConfig({ SHOP_PORT: '8080', PSP_PORT: '0', COLLECTOR_PORT: '65535' });

    expect(config.ports).toEqual({ shop: 8080, psp: 0, collector: 65535 });
  });

  test('empty port means default', () => {
    expect(readDemoConfig({ SHOP_PORT: '' }).ports.shop).toBe(3000);
  });

  it.each(['abc', '-1', '3000.5', '70000', ' 3000'])('port %j rejected', (value) => {
    expect(() => readDemoConfig({ PSP_PORT: value })).toThrow(
      `PSP_PORT is invalid: received ${JSON.stringify(value)}. Expected a whole number from 0 to 65535, where 0 picks a free port.`,
    );
  });

  test('Mapp account from both variables', () => {
    const config = readDemoConfig({ MAPP_TRACK_ID: '123451234512345', MAPP_TRACK_DOMAIN: 'q3.webtrekk.net' });

    expect(config.mapp).toEqual({ trackId: '123451234512345', trackDomain: 'q3.webtrekk.net' });
  });

  test('track ID without domain rejected', () => {
    expect(() => readDemoConfig({ MAPP_TRACK_ID: '123451234512345' })).toThrow(
      'MAPP_TRACK_ID is set but MAPP_TRACK_DOMAIN is missing.',
    );
  });

  test('domain without track ID rejected', () => {
    expect(() => readDemoConfig({ MAPP_TRACK_DOMAIN: 'q3.webtrekk.net' })).toThrow(
      'MAPP_TRACK_DOMAIN is set but MAPP_TRACK_ID is missing.',
    );
  });
});
