// Child process serving the benchmark shop on 127.0.0.1, with or without tracking. Started by the
// figures through startProcess(); argv[2] is a JSON object { tracked, trackDomain, orderPrefix }.
const { createTracker } = require('mapp-s2s');

const { createCountingLogger } = require('./logger');
const { TRACK_ID } = require('./orders');
const { serveRequests } = require('./processes');
const { createShopApp } = require('./shop-app');

async function main() {
  const { tracked, trackDomain, orderPrefix } = JSON.parse(process.argv[2]);
  const log = createCountingLogger();
  const tracker = tracked
    ? createTracker({ trackId: TRACK_ID, trackDomain, secure: false, logger: log.logger })
    : undefined;

  let deliveryRequests = 0;
  tracker?.on('sent', () => {
    deliveryRequests += 1;
  });
  const shop = createShopApp({ tracker, orderPrefix });
  const server = await new Promise((resolve, reject) => {
    const listening = shop.app.listen(0, '127.0.0.1', () => resolve(listening));
    listening.once('error', reject);
  });

  serveRequests({
    cpuUsage: () => ({ ...process.cpuUsage(), atMs: performance.now() }),
    /** Stop taking requests, deliver what is queued (at most `timeoutMs`) and report the counts. */
    finish: async ({ timeoutMs }) => {
      server.closeIdleConnections();
      await new Promise((resolve) => server.close(resolve));
      const closeStart = Date.now();
      await tracker?.close({ timeoutMs });
      return {
        ordersBuilt: shop.ordersBuilt(),
        stats: tracker?.stats(),
        deliveryRequests,
        closeMs: Date.now() - closeStart,
        log: log.summary(),
      };
    },
  }, { port: server.address().port });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
