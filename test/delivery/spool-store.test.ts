import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { UnreadableFile } from '../../src/delivery/hit-store';
import { claimedFileName, hitFileName, serializeDeadLetter, serializeHit } from '../../src/delivery/spool/hit-file';
import { prepareSpoolDirectory, SpoolStore } from '../../src/delivery/spool/spool-store';
import type { PendingHit } from '../../src/delivery/types';
import { createMemoryLogger } from '../helpers/memory-logger';

let dir: string;
const stores: SpoolStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mapp-s2s-spool-'));
  prepareSpoolDirectory(dir);
});

afterEach(async () => {
  for (const store of stores.splice(0)) {
    await store.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

async function openStore(logger = createMemoryLogger(), unreadable: UnreadableFile[] = []): Promise<SpoolStore> {
  const store = new SpoolStore(dir, logger);
  stores.push(store);
  await store.open((file) => unreadable.push(file));
  return store;
}

function hit(index: number): PendingHit {
  const acceptedAt = 1_733_300_000_000 + index;
  return {
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    orderId: `A-${index}`,
    line: `wt?p=600,order,,,,,${acceptedAt},0,,&oi=A-${index}`,
    acceptedAt,
    enqueuedAt: acceptedAt,
    attempts: 0,
  };
}

function files(folder: string): string[] {
  return readdirSync(path.join(dir, folder)).sort();
}

/** Leave claims of a tracker whose process is gone, as a SIGKILL does. */
function leaveClaims(token: string, pid: number, hits: PendingHit[]): void {
  const owner = { pid, hostname: os.hostname(), startedAt: Date.now() };
  writeFileSync(path.join(dir, 'owners', `${token}.json`), JSON.stringify(owner));
  for (const pending of hits) {
    writeFileSync(path.join(dir, 'claimed', claimedFileName(hitFileName(pending), token)), serializeHit(pending));
  }
}

function exitedPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('SpoolStore', () => {
  it('writes an accepted hit without temporary files', async () => {
    const store = await openStore();
    await store.add(hit(1), 'memory');

    const [claimed] = files('claimed');
    expect(claimed.startsWith(hitFileName(hit(1)))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, 'claimed', claimed), 'utf8')).line).toBe(hit(1).line);
    expect(files('tmp')).toEqual([]);
  });

  it('claims waiting hits oldest first', async () => {
    const store = await openStore();
    for (const index of [3, 1, 2]) {
      await store.add(hit(index), 'disk');
    }

    expect((await store.claimWaiting(2)).map((claimed) => claimed.orderId)).toEqual(['A-1', 'A-2']);
    expect(store.waitingOnDisk()).toEqual({ count: 1, oldestAcceptedAt: hit(3).acceptedAt });
  });

  it('gives each hit to one of two stores', async () => {
    const first = await openStore();
    const second = await openStore();
    for (let index = 0; index < 60; index += 1) {
      await first.add(hit(index), 'disk');
    }

    const claims = await Promise.all([first, second, first, second].map((store) => store.claimWaiting(20)));
    const orderIds = claims.flat().map((claimed) => claimed.orderId);
    expect(orderIds).toHaveLength(60);
    expect(new Set(orderIds).size).toBe(60);
  });

  it('takes over claims of a dead process', async () => {
    leaveClaims('dead-owner', exitedPid(), [hit(1), hit(2)]);
    const logger = createMemoryLogger();
    const store = await openStore(logger);

    expect(files('claimed')).toEqual([]);
    expect((await store.claimWaiting(10)).map((claimed) => claimed.orderId)).toEqual(['A-1', 'A-2']);
    expect(files('owners')).toHaveLength(1);
    expect(logger.at('warn').map((line) => line.fields.hits)).toEqual([2]);
  });

  it('takes over an earlier process with this pid', async () => {
    leaveClaims('earlier-run', process.pid, [hit(1)]);
    const store = await openStore();

    expect((await store.claimWaiting(10)).map((claimed) => claimed.orderId)).toEqual(['A-1']);
  });

  it('leaves claims of a live tracker alone', async () => {
    const owner = await openStore();
    await owner.add(hit(1), 'memory');
    await openStore();

    expect(files('claimed')).toHaveLength(1);
    expect(files('pending')).toEqual([]);
  });

  it('deletes a claim that already has a dead letter', async () => {
    leaveClaims('dead-owner', exitedPid(), [hit(1)]);
    writeFileSync(path.join(dir, 'dead', hitFileName(hit(1))), '{}');
    await openStore();

    expect(files('claimed')).toEqual([]);
    expect(files('pending')).toEqual([]);
  });

  it('moves an unreadable hit to corrupt', async () => {
    writeFileSync(path.join(dir, 'pending', hitFileName(hit(1))), '{"format":1,');
    const logger = createMemoryLogger();
    const unreadable: UnreadableFile[] = [];
    const store = await openStore(logger, unreadable);

    expect(await store.claimWaiting(10)).toEqual([]);
    expect(files('corrupt')).toHaveLength(1);
    expect(logger.at('error')).toHaveLength(1);
    expect(unreadable).toEqual([{ kind: 'hit', hitId: hit(1).id, orderId: undefined }]);
  });

  it('reports the order ID of a cut-off hit', async () => {
    const text = serializeHit(hit(1));
    writeFileSync(path.join(dir, 'pending', hitFileName(hit(1))), text.slice(0, text.indexOf('"line"') + 10));
    const unreadable: UnreadableFile[] = [];
    const store = await openStore(createMemoryLogger(), unreadable);

    await store.claimWaiting(10);

    expect(unreadable).toEqual([{ kind: 'hit', hitId: hit(1).id, orderId: 'A-1' }]);
  });

  it('reports an unreadable dead letter', async () => {
    const text = serializeDeadLetter(deadLetterOf(hit(1)), hit(1).acceptedAt);
    writeFileSync(path.join(dir, 'dead', hitFileName(hit(1))), text.slice(0, -5));
    const unreadable: UnreadableFile[] = [];
    const store = await openStore(createMemoryLogger(), unreadable);

    expect(await store.listDeadLetters()).toEqual([]);
    expect(files('corrupt')).toHaveLength(1);
    expect(unreadable).toEqual([{ kind: 'deadLetter', hitId: hit(1).id, orderId: 'A-1' }]);
  });

  it('keeps, lists and takes dead letters', async () => {
    const store = await openStore();
    await store.add(hit(1), 'memory');
    await store.bury({ ...deadLetterOf(hit(1)), status: 400 });

    expect(files('claimed')).toEqual([]);
    const [deadLetter] = await store.listDeadLetters();
    expect(deadLetter.status).toBe(400);
    const taken = await store.takeDeadLetter(deadLetter);
    expect(taken?.line).toBe(hit(1).line);
    expect(taken?.enqueuedAt).toBeGreaterThan(hit(1).enqueuedAt);
    expect(files('claimed')).toHaveLength(1);
    expect(await store.listDeadLetters()).toEqual([]);
  });

  it('gives a dead letter to one taker', async () => {
    const store = await openStore();
    await store.bury(deadLetterOf(hit(1)));
    const [deadLetter] = await store.listDeadLetters();

    const taken = await Promise.all([store.takeDeadLetter(deadLetter), (await openStore()).takeDeadLetter(deadLetter)]);

    expect(taken.filter((result) => result !== undefined)).toHaveLength(1);
  });

  it('sends a taken dead letter after release', async () => {
    const store = await openStore();
    await store.bury(deadLetterOf(hit(1)));
    const taken = await store.takeDeadLetter((await store.listDeadLetters())[0]);
    await store.release([taken!]);

    expect((await store.claimWaiting(10)).map((claimed) => claimed.orderId)).toEqual(['A-1']);
  });

  it('releases claims to pending', async () => {
    const store = await openStore();
    await store.add(hit(1), 'memory');
    await store.release([hit(1)]);

    expect(files('claimed')).toEqual([]);
    expect(files('pending')).toEqual([hitFileName(hit(1))]);
  });

  it('removes acknowledged hits', async () => {
    const store = await openStore();
    await store.add(hit(1), 'memory');
    await store.acknowledge([hit(1)]);

    expect(files('claimed')).toEqual([]);
  });

  it('removes its owner file at close', async () => {
    const store = await openStore();
    await store.close();
    stores.splice(stores.indexOf(store), 1);

    expect(files('owners')).toEqual([]);
  });
});

function deadLetterOf(pending: PendingHit) {
  return {
    hitId: pending.id,
    orderId: pending.orderId,
    line: pending.line,
    acceptedAt: pending.acceptedAt,
    rejectedAt: pending.acceptedAt + 1000,
    reason: 'rejected' as const,
    attempts: 1,
  };
}
