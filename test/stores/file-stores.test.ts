import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FileClaimStore, FileVisitorStore, InvalidOptionError, type VisitorContext } from '../../src';

const HOUR_MS = 3_600_000;
const CONTEXT: VisitorContext = {
  eid: '2170000000000000001', ip: '203.0.113.7', userAgent: 'Firefox', clientHints: { 'sec-ch-ua-mobile': '?0' }, capturedAt: 1,
};

let dir: string;
let stores: Array<FileClaimStore | FileVisitorStore>;

function claimStore(): FileClaimStore {
  const store = new FileClaimStore({ dir, pruneIntervalMs: 0 });
  stores.push(store);
  return store;
}

function visitorStore(): FileVisitorStore {
  const store = new FileVisitorStore({ dir, pruneIntervalMs: 0 });
  stores.push(store);
  return store;
}

/** Return the path of the one file whose name starts with prefix and ends with suffix. */
async function onlyFile(prefix: string, suffix = '.json'): Promise<string> {
  const names = (await readdir(dir)).filter((name) => name.startsWith(prefix) && name.endsWith(suffix));
  expect(names).toHaveLength(1);
  return join(dir, names[0]);
}

async function makeOld(path: string): Promise<void> {
  const past = new Date(Date.now() - 60_000);
  await utimes(path, past, past);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mapp-s2s-stores-'));
  stores = [];
});

afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all(stores.map((store) => store.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('FileClaimStore', () => {
  it('grants the first claim only', async () => {
    const store = claimStore();
    expect(await store.claim('A-1001', HOUR_MS)).toBe(true);
    expect(await store.claim('A-1001', HOUR_MS)).toBe(false);
  });

  it('grants one claim across two stores', async () => {
    const first = claimStore();
    const second = claimStore();
    const results = await Promise.all(Array.from({ length: 40 }, (_, index) =>
      (index % 2 === 0 ? first : second).claim('A-1001', HOUR_MS)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('keeps claims for a new instance', async () => {
    await claimStore().claim('A-1001', HOUR_MS);
    expect(await claimStore().claim('A-1001', HOUR_MS)).toBe(false);
  });

  it('grants again after release', async () => {
    const store = claimStore();
    await store.claim('A-1001', HOUR_MS);
    await store.release('A-1001');
    expect(await store.claim('A-1001', HOUR_MS)).toBe(true);
  });

  it('ignores the release of an unknown ID', async () => {
    await expect(claimStore().release('A-404')).resolves.toBeUndefined();
  });

  it('grants one takeover of an expired claim', async () => {
    const first = claimStore();
    const second = claimStore();
    await first.claim('A-1001', 1000);
    const later = Date.now() + 1000;
    jest.spyOn(Date, 'now').mockReturnValue(later);

    const results = await Promise.all(Array.from({ length: 40 }, (_, index) =>
      (index % 2 === 0 ? first : second).claim('A-1001', HOUR_MS)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(JSON.parse(await readFile(await onlyFile('claim-'), 'utf8')).expiresAt).toBe(later + HOUR_MS);
  });

  it('holds a claim file being written', async () => {
    const store = claimStore();
    await store.claim('A-1001', HOUR_MS);
    await writeFile(await onlyFile('claim-'), '');
    expect(await store.claim('A-1001', HOUR_MS)).toBe(false);
  });

  it('frees a damaged claim file after the grace time', async () => {
    const store = claimStore();
    await store.claim('A-1001', HOUR_MS);
    const path = await onlyFile('claim-');
    await writeFile(path, '{"orderId":');
    await makeOld(path);
    expect(await store.claim('A-1001', HOUR_MS)).toBe(true);
  });

  it('keeps a safe file name for any ID', async () => {
    const store = claimStore();
    expect(await store.claim('../../etc/passwd', HOUR_MS)).toBe(true);
    expect(await readdir(dir)).toEqual([expect.stringMatching(/^claim-[0-9a-f]{64}\.json$/)]);
  });

  it('writes files only the owner reads', async () => {
    await claimStore().claim('A-1001', HOUR_MS);
    expect((await stat(await onlyFile('claim-'))).mode & 0o777).toBe(0o600);
  });

  it('prunes expired claims and old locks', async () => {
    const store = claimStore();
    await store.claim('A-1', 1000);
    await store.claim('A-2', HOUR_MS);
    await writeFile(join(dir, 'claim-crashed.json.lock'), '');
    await makeOld(join(dir, 'claim-crashed.json.lock'));
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 1000);

    expect(await store.prune()).toBe(1);
    expect(await store.claim('A-1', HOUR_MS)).toBe(true);
    expect(await store.claim('A-2', HOUR_MS)).toBe(false);
    expect((await readdir(dir)).filter((name) => name.endsWith('.lock'))).toEqual([]);
  });

  it('rejects a missing dir', () => {
    expect(() => new FileClaimStore({} as never)).toThrow(InvalidOptionError);
    expect(() => new FileClaimStore({} as never)).toThrow('FileClaimStore() option "dir" is invalid: received undefined');
  });
});

describe('file store dir', () => {
  function creationError(create: () => unknown): InvalidOptionError {
    try {
      create();
    } catch (error) {
      return error as InvalidOptionError;
    }
    throw new Error('expected the store to throw');
  }

  it.each([
    ['FileClaimStore', (storeDir: string) => new FileClaimStore({ dir: storeDir })],
    ['FileVisitorStore', (storeDir: string) => new FileVisitorStore({ dir: storeDir })],
  ])('%s names a dir below a file', (factory, create) => {
    const error = creationError(() => create('/dev/null/mapp-s2s'));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.option).toBe('dir');
    expect(error.message).toContain(`${factory}() option "dir" is invalid: received "/dev/null/mapp-s2s"`);
    expect(error.message).toContain('ENOTDIR');
  });

  it('names a dir that is a file', async () => {
    const file = join(dir, 'not-a-directory');
    await writeFile(file, '');
    const error = creationError(() => new FileClaimStore({ dir: file }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.message).toContain('EEXIST');
  });
});

describe('FileVisitorStore', () => {
  it('returns what was set', async () => {
    const store = visitorStore();
    await store.set('A-1001', CONTEXT, HOUR_MS);
    expect(await store.get('A-1001')).toEqual(CONTEXT);
  });

  it('shares contexts between instances', async () => {
    await visitorStore().set('A-1001', CONTEXT, HOUR_MS);
    expect(await visitorStore().get('A-1001')).toEqual(CONTEXT);
  });

  it('returns nothing for an unknown order', async () => {
    expect(await visitorStore().get('A-404')).toBeUndefined();
  });

  it('forgets a context after its TTL', async () => {
    const store = visitorStore();
    await store.set('A-1001', CONTEXT, HOUR_MS);
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + HOUR_MS);
    expect(await store.get('A-1001')).toBeUndefined();
  });

  it('returns nothing from a damaged file', async () => {
    const store = visitorStore();
    await store.set('A-1001', CONTEXT, HOUR_MS);
    await writeFile(await onlyFile('visitor-'), 'not json');
    expect(await store.get('A-1001')).toBeUndefined();
  });

  it('drops fields of the wrong type', async () => {
    const store = visitorStore();
    await store.set('A-1001', CONTEXT, HOUR_MS);
    const path = await onlyFile('visitor-');
    const record = JSON.parse(await readFile(path, 'utf8'));
    record.context = { ...record.context, eid: 2170000000000000001, userAgent: { toString: 'x' } };
    await writeFile(path, JSON.stringify(record));
    expect(await store.get('A-1001')).toEqual({ ip: '203.0.113.7', clientHints: { 'sec-ch-ua-mobile': '?0' }, capturedAt: 1 });
  });

  it('shares a directory with claims', async () => {
    await claimStore().claim('A-1001', HOUR_MS);
    await visitorStore().set('A-1001', CONTEXT, HOUR_MS);
    expect(await visitorStore().get('A-1001')).toEqual(CONTEXT);
    expect(await claimStore().claim('A-1001', HOUR_MS)).toBe(false);
  });

  it('prunes expired contexts', async () => {
    const store = visitorStore();
    await store.set('A-1', CONTEXT, 1000);
    await store.set('A-2', CONTEXT, HOUR_MS);
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 1000);

    expect(await store.prune()).toBe(1);
    expect((await readdir(dir)).filter((name) => name.startsWith('visitor-'))).toHaveLength(1);
    expect(await store.get('A-2')).toEqual(CONTEXT);
  });

  it('leaves no temporary file behind', async () => {
    const store = visitorStore();
    await Promise.all(Array.from({ length: 20 }, () => store.set('A-1001', CONTEXT, HOUR_MS)));
    expect(await readdir(dir)).toEqual([expect.stringMatching(/^visitor-[0-9a-f]{64}\.json$/)]);
  });
});
