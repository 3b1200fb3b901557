import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startCollector, type Collector } from '../../src/testing';
import { startWorker, type WorkerProcess } from '../helpers/spool-worker-process';

let collector: Collector | undefined;
let spoolDir: string;
const workers: WorkerProcess[] = [];

beforeEach(() => {
  spoolDir = mkdtempSync(path.join(os.tmpdir(), 'mapp-s2s-spool-'));
});

afterEach(async () => {
  for (const worker of workers.splice(0)) {
    if (worker.child.exitCode === null && worker.child.signalCode === null) {
      worker.child.kill('SIGKILL');
      await worker.exited;
    }
  }
  await collector?.close();
  collector = undefined;
  rmSync(spoolDir, { recursive: true, force: true });
});

/** Reserve a port with nothing listening on it: the track server is down until a collector starts there. */
async function reserveDownPort(): Promise<number> {
  const probe = await startCollector();
  const port = probe.port;
  await probe.close();
  return port;
}

function launch(port: number, prefix: string, count: number, maxQueue: number, exitWhenIdle = false): WorkerProcess {
  const worker = startWorker({ spoolDir, trackDomain: `127.0.0.1:${port}`, prefix, count, maxQueue, exitWhenIdle });
  workers.push(worker);
  return worker;
}

async function stop(worker: WorkerProcess): Promise<{ sent: number }> {
  const closed = worker.waitFor('closed');
  worker.child.kill('SIGTERM');
  const message = await closed;
  await worker.exited;
  return message.stats as { sent: number };
}

function expectedIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}-${index}`).sort();
}

function deliveredIds(): string[] {
  return (collector?.hits ?? []).map((hit) => hit.order?.id ?? '').sort();
}

function spoolFiles(folder: string): string[] {
  return readdirSync(path.join(spoolDir, folder));
}

describe('spool shared by processes', () => {
  it('delivers a SIGKILLed process its hits once', async () => {
    const port = await reserveDownPort();
    const first = launch(port, 'K', 200, 50);
    await first.waitFor('accepted');
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(spoolFiles('claimed').length + spoolFiles('pending').length).toBe(200);

    collector = await startCollector({ port });
    const second = launch(port, 'unused', 0, 50);
    await collector.waitForHits(200, { timeoutMs: 20_000 });
    const stats = await stop(second);

    expect(deliveredIds()).toEqual(expectedIds('K', 200));
    expect(stats.sent).toBe(200);
    expect(spoolFiles('pending')).toEqual([]);
    expect(spoolFiles('claimed')).toEqual([]);
  });

  it('sends each hit once from two processes', async () => {
    const port = await reserveDownPort();
    const left = launch(port, 'L', 150, 20);
    const right = launch(port, 'R', 150, 20);
    await Promise.all([left.waitFor('accepted'), right.waitFor('accepted')]);

    collector = await startCollector({ port });
    await collector.waitForHits(300, { timeoutMs: 20_000 });
    const [leftStats, rightStats] = await Promise.all([stop(left), stop(right)]);

    expect(deliveredIds()).toEqual([...expectedIds('L', 150), ...expectedIds('R', 150)].sort());
    expect(leftStats.sent + rightStats.sent).toBe(300);
    expect(leftStats.sent).toBeGreaterThan(0);
    expect(rightStats.sent).toBeGreaterThan(0);
    expect(spoolFiles('pending')).toEqual([]);
  });

  it('lets the process exit while retrying', async () => {
    const port = await reserveDownPort();
    const worker = launch(port, 'E', 3, 50, true);
    await worker.waitFor('accepted');

    expect(await worker.exited).toBe(0);
    expect(spoolFiles('claimed')).toHaveLength(3);
  });
});
