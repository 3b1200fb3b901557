import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

import request from 'supertest';

import type { Order, Tracker } from '../../src';

/** Paths every driver's shop serves, so the behaviour cases can stay framework-neutral. */
export const SHOP_PATHS = {
  checkout: '/cart_checkout',
  products: '/products',
  /** GET: the shopper's return from the payment page. */
  confirmation: '/order/complete',
  /** POST of an HTML form: a return by a cross-site POST, which arrives without the session cookie. */
  crossSiteReturn: '/order/return',
  /** POST of JSON: the payment provider's server-to-server notification. */
  webhook: '/webhooks/psp',
} as const;

/** The parts of a request that the cases' callbacks read, whatever the framework. */
export interface ShopRequest {
  query: Readonly<Record<string, unknown>>;
  /** The parsed request body: the form fields of the cross-site return, the JSON of the webhook. */
  body: unknown;
}

export interface ShopSetup {
  tracker: Tracker;
  /** Proxies in front of the shop whose X-Forwarded-For entries are trusted (default: none). */
  trustedProxies?: number;
  /** Mount the framework's session middleware before captureEid (default true). */
  withSession?: boolean;
  /** captureEid's orderId option; `false` mounts captureEid without it. */
  checkoutOrderId: ((request: ShopRequest) => string | undefined) | false;
  /** The order confirmed on the confirmation page. */
  order: (request: ShopRequest) => Order | undefined;
  /** The order confirmed by the cross-site return. */
  returnOrder: (request: ShopRequest) => Order | undefined;
  /** orderWebhook's order option. */
  webhookOrder: (request: ShopRequest) => Order | undefined;
  /** orderWebhook's orderId option (default: none). */
  webhookOrderId?: (request: ShopRequest) => string | undefined;
}

export interface ShopResponse {
  status: number;
  text: string;
  /** The Set-Cookie headers of the response; empty when it sets no cookie. */
  setCookie: readonly string[];
}

/** One browser or one server-to-server caller: keeps the shop's cookies between its own requests. */
export interface ShopClient {
  get(path: string, headers?: Readonly<Record<string, string>>): Promise<ShopResponse>;
  /** POST form fields as `application/x-www-form-urlencoded`, as an HTML form does. */
  postForm(path: string, fields: Readonly<Record<string, string>>, headers?: Readonly<Record<string, string>>): Promise<ShopResponse>;
  /** POST a body as it is, with the given content type. */
  post(path: string, body: string, contentType: string, headers?: Readonly<Record<string, string>>): Promise<ShopResponse>;
}

export interface Shop {
  /** The shop's base URL, such as `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Start a new client with no cookies. */
  client(): ShopClient;
  close(): Promise<void>;
}

/**
 * One framework adapter under test. Each driver builds the same shop: its session middleware, captureEid
 * on the checkout path, a products page, orderConfirmation on the confirmation and cross-site return
 * paths, and orderWebhook on the webhook path. Its error handler responds with the error's status
 * (default 500) and message.
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
    url: baseUrl,
    client() {
      const agent = request.agent(baseUrl);
      return {
        get: async (path, headers = {}) => toShopResponse(await agent.get(path).set(headers)),
        postForm: async (path, fields, headers = {}) => toShopResponse(await agent.post(path).set(headers).type('form').send(fields)),
        post: async (path, body, contentType, headers = {}) => toShopResponse(
          await agent.post(path).set(headers).set('Content-Type', contentType).send(body)),
      };
    },
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}

function toShopResponse(response: request.Response): ShopResponse {
  const setCookie: unknown = response.headers['set-cookie'];
  return { status: response.status, text: response.text, setCookie: Array.isArray(setCookie) ? setCookie : [] };
}
