import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

import request from 'supertest';

import type { Order, Tracker } from '../../src';

/** Paths every driver's shop serves, so the behaviour cases can stay framework-neutral. */
export const SHOP_PATHS = {
  checkout: '/cart_checkout',
  products: '/products',
  confirmation: '/order/complete',
} as const;

/** The parts of a request that the cases' order callbacks read, whatever the framework. */
export interface ShopRequest {
  query: Readonly<Record<string, unknown>>;
}

export interface ShopSetup {
  tracker: Tracker;
  /** Proxies in front of the shop whose X-Forwarded-For entries are trusted (default: none). */
  trustedProxies?: number;
  /** Mount the framework's session middleware before captureEid (default true). */
  withSession?: boolean;
  /** The order confirmed on the confirmation page. */
  order: (request: ShopRequest) => Order | undefined;
}

export interface ShopResponse {
  status: number;
  text: string;
}

/** One browser: keeps the shop's cookies between requests. */
export interface ShopClient {
  get(path: string, headers?: Readonly<Record<string, string>>): Promise<ShopResponse>;
}

export interface Shop {
  client(): ShopClient;
  close(): Promise<void>;
}

/**
 * One framework adapter under test. Each driver builds the same shop: its session middleware, captureEid
 * on the checkout path, a products page and orderConfirmation on the confirmation path.
 */
export interface ShopDriver {
  /** Framework and the major version the run expects, such as `Koa 3`. */
  readonly name: string;
  readonly expectedMajorVersion: number;
  /** Version of the framework package that the test run actually loaded. */
  readonly installedVersion: string;
  /** Request object name and session middleware as the adapter's log lines name them. */
  readonly requestName: string;
  readonly sessionMiddleware: string;
  start(setup: ShopSetup): Promise<Shop>;
}

/** Serve a request listener on 127.0.0.1 and return a shop whose clients talk to it over real HTTP. */
export async function listenOnLoopback(listener: RequestListener): Promise<Shop> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    client() {
      const agent = request.agent(baseUrl);
      return {
        async get(path, headers = {}) {
          const response = await agent.get(path).set(headers);
          return { status: response.status, text: response.text };
        },
      };
    },
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}
