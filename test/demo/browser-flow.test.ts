import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';

import type { CollectedHit } from '../../src/testing';
import { FREE_PORTS, LOCAL_TRACK_ID, startDemo, type RunningDemo } from '../helpers/demo';
import { createMemoryLogger } from '../helpers/memory-logger';

const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const SCREENSHOT_PATH = path.join(__dirname, '..', '..', 'test-output', 'collector-page.png');

/** What the shopper did and saw, recorded once by the browser run in beforeAll. */
interface ShoppingRun {
  eidOnFirstPage: string;
  eidAtCheckout: string;
  wt3EidOnFirstPage: string;
  cartTotal: string;
  orderId: string;
  confirmationText: string;
  confirmationScriptCount: number;
  userAgent: string;
  hits: CollectedHit[];
}

let demo: RunningDemo;
let context: BrowserContext;
let userDataDir: string;
let run: ShoppingRun;

/** Returns the decoded value of the browser's wt3_eid cookie for the shop, or an empty string. */
async function readWt3Eid(url: string): Promise<string> {
  const cookie = (await context.cookies(url)).find((candidate) => candidate.name === 'wt3_eid');
  return cookie === undefined ? '' : decodeURIComponent(cookie.value);
}

/** Returns the EID of the demo's track ID in a decoded wt3_eid value, or undefined. */
function eidOf(wt3Eid: string): string | undefined {
  return new RegExp(`(?:^|;)${LOCAL_TRACK_ID}\\|(\\d{19})#`).exec(wt3Eid)?.[1];
}

async function addToCart(page: Page, productId: string): Promise<void> {
  await page.locator(`button[data-product-id="${productId}"]`).click();
  await page.waitForURL(`**/?added=${productId}`);
}

async function shop(page: Page): Promise<ShoppingRun> {
  await page.goto(`${demo.shopUrl}/`);
  const wt3EidOnFirstPage = await readWt3Eid(demo.shopUrl);

  await addToCart(page, 'TENT-2P');
  await addToCart(page, 'LAMP-300');
  await addToCart(page, 'LAMP-300');

  await page.getByRole('link', { name: 'Cart (3)' }).click();
  await page.getByRole('link', { name: 'Go to checkout' }).click();
  await page.waitForURL('**/cart_checkout');
  const cartTotal = await page.locator('#order-total').innerText();
  const eidAtCheckout = eidOf(await readWt3Eid(demo.shopUrl)) ?? '';

  await page.getByRole('button', { name: 'Pay with DemoPay' }).click();
  await page.waitForURL(`${demo.pspUrl}/pay?**`);
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.waitForURL(`${demo.shopUrl}/checkout/return?**`);

  const orderId = await page.locator('#order-id').innerText();
  const confirmationText = await page.locator('main').innerText();
  const confirmationScriptCount = await page.locator('script').count();
  // A string expression, because the tests compile without the DOM type library.
  const userAgent = await page.evaluate<string>('navigator.userAgent');

  // Every order is queued before its page is sent, so after this flush the collector has recorded them all.
  await demo.tracker.flush();

  return {
    eidOnFirstPage: eidOf(wt3EidOnFirstPage) ?? '',
    eidAtCheckout,
    wt3EidOnFirstPage,
    cartTotal,
    orderId,
    confirmationText,
    confirmationScriptCount,
    userAgent,
    hits: [...(demo.collector?.hits ?? [])],
  };
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}. Run bash scripts/test.sh, which installs Debian's chromium package.`);
  }

  demo = await startDemo({ ports: FREE_PORTS, logger: createMemoryLogger() });
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapp-s2s-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 600 },
  });

  run = await shop(await context.newPage());
}, 60_000);

afterAll(async () => {
  await context?.close();
  await demo?.close();
  if (userDataDir !== undefined) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
});

describe('pixel stand-in', () => {
  test('writes wt3_eid like pixel v4', () => {
    expect(run.wt3EidOnFirstPage).toMatch(new RegExp(`^;${LOCAL_TRACK_ID}\\|2\\d{18}#\\d{19}$`));
  });

  test('keeps the EID across pages', () => {
    expect(run.eidAtCheckout).toBe(run.eidOnFirstPage);
  });

  test('absent from confirmation page', () => {
    expect(run.confirmationScriptCount).toBe(0);
  });
});

describe('checkout through the payment provider', () => {
  test('confirmation shows the paid order', () => {
    expect(run.confirmationText).toContain(`Order ${run.orderId} is paid.`);
  });

  test('collector receives one order hit', () => {
    expect(run.hits.filter((hit) => hit.order !== undefined)).toHaveLength(1);
  });

  test('hit carries the order ID', () => {
    expect(run.hits[0].order?.id).toBe(run.orderId);
  });

  test('hit EID equals the browser wt3_eid EID', () => {
    expect(run.hits[0].eid).toBe(run.eidOnFirstPage);
  });

  test('hit user agent equals the browser', () => {
    expect(run.hits[0].userAgent).toBe(run.userAgent);
  });

  test('hit IP is the shopper', () => {
    expect(run.hits[0].ip).toBe('127.0.0.1');
  });

  test('hit value matches the cart total', () => {
    expect(`${Number(run.hits[0].order?.value).toFixed(2)} ${run.hits[0].order?.currency}`).toBe(run.cartTotal);
  });

  test('hit products match the cart', () => {
    const products = run.hits[0].products.map(({ id, quantity, cost, status }) => ({ id, quantity, cost: Number(cost), status }));

    expect(products).toEqual([
      { id: 'TENT-2P', quantity: '1', cost: 189, status: 'conf' },
      { id: 'LAMP-300', quantity: '2', cost: 69.8, status: 'conf' },
    ]);
  });

  test('hit has no problems', () => {
    expect(run.hits[0].problems).toEqual([]);
  });
});

describe('collector page', () => {
  test('shows the order', async () => {
    const page = await context.newPage();
    await page.goto(`${demo.collectorUrl}/`);

    const rows = page.locator('tbody tr');
    await fs.promises.mkdir(path.dirname(SCREENSHOT_PATH), { recursive: true });
    await page.screenshot({ path: SCREENSHOT_PATH, fullPage: true });

    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().innerText()).resolves.toContain(run.orderId);
  });
});
