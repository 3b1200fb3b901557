import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

import request from 'supertest';

import type { CollectedHit } from '../../src/testing';
import { assertBuildIsCurrent, REPO_ROOT } from '../helpers/built-package';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0';

let shop: ChildProcessWithoutNullStreams;
let shopUrl: string;
let hitsUrl: string;

/** Resolve with the shop's and the collector's URLs once the demo has printed both. */
function readStartupUrls(child: ChildProcessWithoutNullStreams): Promise<[string, string]> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const shopMatch = /Koa shop on (http:\/\/\S+)/.exec(output);
      const hitsMatch = /Order hits at (http:\/\/\S+)/.exec(output);
      if (shopMatch && hitsMatch) {
        resolve([shopMatch[1], hitsMatch[1]]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the demo shop exited with code ${code} before it started: ${output}`)));
  });
}

beforeAll(async () => {
  assertBuildIsCurrent();
  // Without MAPP_TRACK_ID the demo sends to its own collector on 127.0.0.1.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1' };
  delete env.MAPP_TRACK_ID;
  shop = spawn(process.execPath, [path.join(REPO_ROOT, 'demo-app/koa/shop.js')], { cwd: REPO_ROOT, env });
  [shopUrl, hitsUrl] = await readStartupUrls(shop);
});

afterAll(() => {
  if (shop.exitCode === null) {
    shop.kill('SIGKILL');
  }
});

async function waitForHits(): Promise<CollectedHit[]> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const hits = (await request(hitsUrl).get('')).body as CollectedHit[];
    if (hits.length > 0) {
      return hits;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no order hit reached ${hitsUrl} within 5 s`);
}

describe('Koa demo shop', () => {
  it('sends one hit for return and webhook', async () => {
    const browser = request.agent(shopUrl);
    const home = await browser.get('/').set('User-Agent', FIREFOX).expect(200);
    const eid = /wtstp_eid=(\d{19})/.exec(String(home.headers['set-cookie']))?.[1];
    await browser.get('/cart_checkout').set('User-Agent', FIREFOX).expect(200);
    // The stand-in provider sends the webhook before it redirects to the confirmation page.
    const thanks = await browser.post('/pay').set('User-Agent', FIREFOX).redirects(1).expect(200);
    // A reload of the confirmation page is a third trigger for the same order.
    const confirmationUrl = new URL(thanks.redirects[0]);
    await browser.get(`${confirmationUrl.pathname}${confirmationUrl.search}`).set('User-Agent', FIREFOX).expect(200);

    const [hit] = await waitForHits();
    expect(thanks.text).toContain(`Order ${hit.order?.id} is confirmed`);
    expect(hit.eid).toBe(eid);
    expect(hit.userAgent).toBe(FIREFOX);
    expect(hit.order?.value).toBe('32.4');
    expect((await request(hitsUrl).get('')).body).toHaveLength(1);
  });

  it('exits cleanly on SIGTERM', async () => {
    shop.kill('SIGTERM');
    const [code] = await once(shop, 'exit') as [number | null];
    expect(code).toBe(0);
  });
});
