import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const START_SCRIPT = path.join(__dirname, '..', '..', 'demo-app', 'start.js');

interface StartedDemo {
  child: ChildProcess;
  urls: string[];
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `node demo-app/start.js` on free ports and resolves once it printed its URLs. */
function runDemo(env: Record<string, string> = {}): Promise<StartedDemo> {
  const child = spawn(process.execPath, [START_SCRIPT], {
    env: { ...process.env, SHOP_PORT: '0', PSP_PORT: '0', COLLECTOR_PORT: '0', MAPP_TRACK_ID: '', MAPP_TRACK_DOMAIN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start within 10 s; output:\n${output}`)), 10_000);
    const started = { child, urls: [] as string[], output: () => output, exit };
    child.stdout?.on('data', () => {
      if (output.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolve({ ...started, urls: output.match(/http:\/\/127\.0\.0\.1:\d+\//g) ?? [] });
      }
    });
    void exit.then(() => {
      clearTimeout(timer);
      resolve(started);
    });
  });
}

describe('demo start script', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s exits with status 0', async (signal) => {
    const demo = await runDemo();
    // Pages fetched over keep-alive connections, which must not hold the servers open.
    for (const url of demo.urls) {
      await (await fetch(url)).text();
    }

    demo.child.kill(signal);
    const exit = await demo.exit;

    expect(demo.urls).toHaveLength(3);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(demo.output()).toContain('Stopped.');
  });

  test('ports closed after exit', async () => {
    const demo = await runDemo();

    demo.child.kill('SIGTERM');
    await demo.exit;

    for (const url of demo.urls) {
      await expect(fetch(url)).rejects.toThrow('fetch failed');
    }
  });

  test('invalid port exits with status 1', async () => {
    const demo = await runDemo({ SHOP_PORT: 'abc' });

    const exit = await demo.exit;

    expect(exit.code).toBe(1);
    expect(demo.output()).toContain('SHOP_PORT is invalid: received "abc".');
  });

  test('busy port exits with status 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;

    try {
      const demo = await runDemo({ SHOP_PORT: String(port) });
      const exit = await demo.exit;

      expect(exit.code).toBe(1);
      expect(demo.output()).toContain(`The shop could not listen on 127.0.0.1:${port}`);
      expect(demo.output()).toContain('Set SHOP_PORT, PSP_PORT or COLLECTOR_PORT to free ports');
    } finally {
      blocker.close();
    }
  });
});
