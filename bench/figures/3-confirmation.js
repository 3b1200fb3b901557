// Figure 3: requests/s of the order confirmation page with orderConfirmation (a new order on every
// request) against the same page that builds the order without tracking it, and a count at the
// collector that every tracked order arrived exactly once.
const { ratioRow, runFigure } = require('../lib/figure');
const { formatNumber } = require('../lib/numbers');
const { compareThroughput, describeRuns, startLoadSide } = require('../lib/shop-runs');

async function measure() {
  const { collector, pinned } = await startLoadSide();
  try {
    const result = await compareThroughput({ collector, urlPath: '/order/complete', orderPrefix: 'confirm' });
    const expected = result.shop.ordersBuilt;
    const counted = await collector.request('countOrders', { prefix: 'confirm', expected });
    await collector.request('reset');
    const allOnce = counted.once === expected && counted.hits === expected && counted.unexpected === 0;

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
        detail: `${formatNumber(counted.once)} of ${formatNumber(expected)} orders arrived exactly once; `
          + `${counted.repeated} more than once, ${counted.missing} never, ${counted.unexpected} unknown order IDs`,
      }],
      details: [
        `${formatNumber(expected)} orders built on the tracked variant, ${formatNumber(result.shop.stats.sent)} hits sent by the tracker `
          + `in ${formatNumber(result.shop.deliveryRequests)} requests, ${formatNumber(counted.hits)} received by the collector`,
        ...describeRuns(result, pinned),
      ],
    };
  } finally {
    await collector.stop();
  }
}

if (require.main === module) {
  runFigure(measure);
}

module.exports = { measure };
