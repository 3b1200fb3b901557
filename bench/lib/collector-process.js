// Child process running the package's local collector, so that decoding the hits does not use the CPU
// time of the process under measurement. Started through startProcess() of processes.js, it handles
// requests over IPC.
const { startCollector } = require('mapp-s2s/testing');

const { serveRequests } = require('./processes');

async function main() {
  const port = Number(process.argv[2] ?? 0);
  let collector = await startCollector({ port });

  serveRequests({
    respondWith: ({ behaviour }) => collector.respondWith(behaviour),
    reset: () => collector.reset(),
    waitForHits: async ({ count, timeoutMs }) => (await collector.waitForHits(count, { timeoutMs })).length,
    /** The first `count` hit lines received, for a client that sends the same lines itself. */
    lines: ({ count }) => collector.hits.slice(0, count).map((hit) => hit.line),
    countOrders: ({ prefix, expected }) => countOrders(collector.hits, prefix, expected),
    // The collector goes down and comes back on the same port, as a track server after an outage.
    stop: () => collector.close(),
    restart: async () => {
      collector = await startCollector({ port: collector.port });
    },
  }, { port: collector.port, trackDomain: collector.trackDomain });
}

/**
 * Count the hits of the orders `<prefix>-1` to `<prefix>-<expected>`: how many arrived exactly once,
 * more than once or never, and how many hits carry another order ID with this prefix.
 */
function countOrders(hits, prefix, expected) {
  const copies = new Uint32Array(expected + 1);
  let hitsWithPrefix = 0;
  let unexpected = 0;
  for (const hit of hits) {
    const orderId = hit.order?.id ?? hit.params.oi;
    if (typeof orderId !== 'string' || !orderId.startsWith(`${prefix}-`)) {
      continue;
    }
    hitsWithPrefix += 1;
    const number = Number(orderId.slice(prefix.length + 1));
    if (Number.isInteger(number) && number >= 1 && number <= expected) {
      copies[number] += 1;
    } else {
      unexpected += 1;
    }
  }

  let once = 0;
  let repeated = 0;
  let missing = 0;
  for (let number = 1; number <= expected; number += 1) {
    if (copies[number] === 1) {
      once += 1;
    } else if (copies[number] > 1) {
      repeated += 1;
    } else {
      missing += 1;
    }
  }
  return { hits: hitsWithPrefix, once, repeated, missing, unexpected };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
