// Child process serving the benchmark shop twice on 127.0.0.1: once untracked (the baseline) and once
// tracked, each on its own port, so both variants run in one process with the same JIT and heap state.
// Started by the figures through startProcess(); argv[2] is a JSON object { trackDomain, orderPrefix }.
const { createTracker } = require('mapp-s2s');

const { createCountingLogger } = require('./logger');
const { TRACK_ID } = require('./orders');
const { serveRequests } = require('./processes');
const { createShopApp } = require('./shop-app');

async function main() {
  const { trackDomain, orderPrefix } = JSON.parse(process.argv[2]);
  const log = createCountingLogger();
  const tracker = createTracker({ trackId: TRACK_ID, trackDomain, secure: false, logger: log.logger });
  let deliveryRequests = 0;
  tracker.on('sent', () => {
    deliveryRequests += 1;
  });

  const baseline = createShopApp({ orderPrefix: `${orderPrefix}-untracked` });
  const tracked = createShopApp({ tracker, orderPrefix });
  const servers = [await listen(baseline.app), await listen(tracked.app)];

  serveRequests({
    cpuUsage: () => ({ ...process.cpuUsage(), atMs: performance.now() }),
    /** Stop taking requests, deliver what is queued (at most `timeoutMs`) and report the counts. */
    finish: async ({ timeoutMs }) => {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
      const closeStart = Date.now();
      await tracker.close({ timeoutMs });
      return {
        ordersBuilt: tracked.ordersBuilt(),
        stats: tracker.stats(),
        deliveryRequests,
        closeMs: Date.now() - closeStart,
        log: log.summary(),
      };
    },
  }, { ports: { baseline: servers[0].address().port, tracked: servers[1].address().port } });
}

function listen(app) {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
    server.once('error', reject);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
