// Figure 2: requests/s of the last checkout page with captureEid (EID cookie parsed, session written,
// visitor stored under the order ID) against the same page without it.
const { ratioRow, runFigure } = require('../lib/figure');
const { compareThroughput, describeRuns, startLoadSide } = require('../lib/shop-runs');

async function measure() {
  const { collector, pinned } = await startLoadSide();
  try {
    const result = await compareThroughput({ collector, urlPath: '/cart_checkout', orderPrefix: 'checkout' });
    return {
      number: 2,
      title: 'Checkout cost (captureEid on the checkout page)',
      rows: [ratioRow({
        label: 'requests/s of GET /cart_checkout, with captureEid capturing the visitor',
        unit: 'req/s',
        measured: result.trackedRps,
        baseline: result.baselineRps,
        baselineLabel: 'the same page without captureEid',
        target: { text: 'ratio >= 0.90', isMet: (_value, ratio) => ratio >= 0.90 },
      })],
      details: [
        'every request is a new shopper: no session cookie, so both variants create and save a session '
          + '(the page reserves an order ID in it)',
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
