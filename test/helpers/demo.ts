import type { Logger, Tracker } from '../../src';
import type { Collector } from '../../src/testing';

export interface DemoOptions {
  ports?: { shop?: number; psp?: number; collector?: number };
  mapp?: { trackId: string; trackDomain: string; secure?: boolean };
  logger?: Logger;
}

export interface RunningDemo {
  shopUrl: string;
  pspUrl: string;
  collectorUrl: string | undefined;
  collector: Collector | undefined;
  tracker: Tracker;
  close(): Promise<void>;
}

interface DemoModule {
  startDemo(options: DemoOptions): Promise<RunningDemo>;
  LOCAL_TRACK_ID: string;
}

// The demo is plain JavaScript that loads the built package (`npm run build`), so the tests declare the
// shape they use here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const demoModule = require('../../demo-app/demo') as DemoModule;

export const { startDemo, LOCAL_TRACK_ID } = demoModule;

/** Ports option that lets the operating system pick a free port for each server. */
export const FREE_PORTS = { shop: 0, psp: 0, collector: 0 };
