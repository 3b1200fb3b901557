const crypto = require('node:crypto');

const { createTracker } = require('mapp-s2s');
const { startCollector } = require('mapp-s2s/testing');

const { DEFAULT_PORTS } = require('./config');
const { createConsoleLogger } = require('./logger');
const { createPaymentProviderApp } = require('./psp/app');
const { closeServer, listen } = require('./server');
const { createShopApp } = require('./shop/app');

/** Track ID of the pretend Mapp account behind the local collector. */
const LOCAL_TRACK_ID = '111111111111111';

/**
 * Starts the demo's servers on 127.0.0.1: the local Mapp collector (unless `mapp` is given), the payment
 * provider and the shop.
 *
 * Options, each optional:
 * - `ports`: `{ shop, psp, collector }`, where 0 picks a free port. Default 3000, 3001 and 3002.
 * - `mapp`: `{ trackId, trackDomain, secure }` of a real Mapp account. Then no local collector starts.
 * - `logger`: pino-compatible logger for the shop, the payment provider and the tracker. Default: the console.
 *
 * Resolves with `{ shopUrl, pspUrl, collectorUrl, collector, tracker, close }`. `collectorUrl` and `collector`
 * are undefined when orders go to a Mapp account. `close()` stops the shop, then closes the tracker, which
 * sends what is still queued, and then stops the payment provider and the collector.
 */
async function startDemo(options = {}) {
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  const logger = options.logger ?? createConsoleLogger();

  // Stop functions of everything started so far, run in reverse order by close() or when a later step fails.
  const stops = [];
  let closing;
  const close = () => {
    closing ??= (async () => {
      while (stops.length > 0) {
        await stops.pop()();
      }
    })();
    return closing;
  };

  try {
    let collector;
    if (options.mapp === undefined) {
      collector = await startServer('collector', ports.collector, () => startCollector({ port: ports.collector }));
      stops.push(() => collector.close());
    }

    const tracker = createTracker(collector === undefined
      ? { trackId: options.mapp.trackId, trackDomain: options.mapp.trackDomain, secure: options.mapp.secure, logger }
      : { trackId: LOCAL_TRACK_ID, trackDomain: collector.trackDomain, secure: false, logger });
    stops.push(() => tracker.close());

    // The shop checks with this secret that a webhook comes from the payment provider.
    const webhookSecret = crypto.randomBytes(32).toString('hex');

    const psp = await startServer('payment provider', ports.psp,
      () => listen(createPaymentProviderApp({ webhookSecret, logger }), ports.psp));
    stops.push(() => closeServer(psp.server));

    const shopApp = createShopApp({
      tracker,
      pspUrl: psp.url,
      webhookSecret,
      sessionSecret: crypto.randomBytes(32).toString('hex'),
      logger,
      collectorUrl: collector?.url,
    });
    const shop = await startServer('shop', ports.shop, () => listen(shopApp, ports.shop));
    stops.push(() => closeServer(shop.server));

    return { shopUrl: shop.url, pspUrl: psp.url, collectorUrl: collector?.url, collector, tracker, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Runs `start`, and names the server and port in the error when it fails, such as on a port in use. */
async function startServer(name, port, start) {
  try {
    return await start();
  } catch (error) {
    throw new Error(`The ${name} could not listen on 127.0.0.1:${port}: ${error.message}`, { cause: error });
  }
}

module.exports = { startDemo, LOCAL_TRACK_ID };
