// Figure 3: requests/s of the order confirmation page with orderConfirmation (a new order on every
// request) against the same page that builds the order without tracking it, and a count at the
// collector that every tracked order arrived exactly once.
const { ratioRow, runFigure } = require('../lib/figure');
const { formatNumber } = require('../lib/numbers');
const { compareThroughput, describeRuns, startLoadSide } = require('../lib/shop-runs');

async function measure() {
  const { collector, pinned } = await startLoadSide();
  try {
    const result = await compareThroughput({ collector, urlPath: '/order/complete', label: 'confirm' });

    const deliveries = [];
    for (const run of result.runs.tracked) {
      const expected = run.shop.ordersBuilt;
      const counted = await collector.request('countOrders', { prefix: run.orderPrefix, expected });
      deliveries.push({ run: run.orderPrefix, expected, ...counted, sentByTracker: run.shop.stats.sent, requests: run.shop.deliveryRequests });
    }
    await collector.request('reset');

    const expected = sum(deliveries, 'expected');
    const once = sum(deliveries, 'once');
    const allOnce = deliveries.every((delivery) => delivery.once === delivery.expected
      && delivery.hits === delivery.expected && delivery.unexpected === 0);

    return {
      number: 3,
      title: 'Confirmation cost (orderConfirmation, a new order on every request)',
      rows: [ratioRow({
        label: 'requests/s of GET /order/complete, with orderConfirmation tracking each order',
        unit: 'req/s',
        measured: result.trackedRps,
        baseline: result.baselineRps,
        baselineLabel: 'the same page building the order without tracking it',
        target: { text: 'ratio >= 0.85', isMet: (_value, ratio) => ratio >= 0.85 },
      })],
      checks: [{
        label: 'every tracked order delivered to the collector exactly once by the end of the run',
        passed: allOnce,
        detail: `${formatNumber(once)} of ${formatNumber(expected)} orders arrived exactly once; `
          + `${sum(deliveries, 'repeated')} more than once, ${sum(deliveries, 'missing')} never, `
          + `${sum(deliveries, 'unexpected')} unknown order IDs`,
      }],
      details: [
        ...deliveries.map((delivery) => `run ${delivery.run}: ${formatNumber(delivery.expected)} orders built, `
          + `${formatNumber(delivery.sentByTracker)} hits sent by the tracker in ${formatNumber(delivery.requests)} requests, `
          + `${formatNumber(delivery.hits)} received by the collector`),
        ...describeRuns(result.runs, pinned),
      ],
    };
  } finally {
    await collector.stop();
  }
}

function sum(items, field) {
  return items.reduce((total, item) => total + item[field], 0);
}

if (require.main === module) {
  runFigure(measure);
}

module.exports = { measure };
