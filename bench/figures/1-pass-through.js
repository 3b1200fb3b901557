// Figure 1: requests/s of the shop's product page with captureEid mounted, against the same shop without it.
const { ratioRow, runFigure } = require('../lib/figure');
const { compareThroughput, describeRuns, startLoadSide } = require('../lib/shop-runs');

async function measure() {
  const { collector, pinned } = await startLoadSide();
  try {
    const result = await compareThroughput({ collector, urlPath: '/products/42', orderPrefix: 'pass' });
    return {
      number: 1,
      title: 'Pass-through cost (captureEid on routes other than checkout)',
      rows: [ratioRow({
        label: 'requests/s of GET /products/42, with captureEid mounted',
        unit: 'req/s',
        measured: result.trackedRps,
        baseline: result.baselineRps,
        baselineLabel: 'the same shop without captureEid',
        target: { text: 'ratio >= 0.97', isMet: (_value, ratio) => ratio >= 0.97 },
      })],
      details: describeRuns(result, pinned),
    };
  } finally {
    await collector.stop();
  }
}

if (require.main === module) {
  runFigure(measure);
}

module.exports = { measure };
