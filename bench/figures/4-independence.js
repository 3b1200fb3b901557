// Figure 4: p99 latency of the confirmation page while the collector stalls every request for 2 s,
// against the p99 with a healthy collector, both at the same fixed request rate.
const { describeLog } = require('../lib/report');
const { ratioRow, runFigure } = require('../lib/figure');
const { formatNumber } = require('../lib/numbers');
const { runTrackedRound, startLoadSide } = require('../lib/shop-runs');

const STALL_MS = 2000;
/** Share of the page's measured capacity that the fixed rate sends, so both runs stay below saturation. */
const RATE_SHARE = 0.5;
const DURATION_SEC = 8;

async function measure() {
  const { collector, pinned } = await startLoadSide();
  try {
    const round = { collector, urlPath: '/order/complete', warmupSec: 1 };
    const probe = await runTrackedRound({ ...round, orderPrefix: 'probe', durationSec: 2 });
    const overallRate = Math.max(100, Math.round(probe.load.requestsPerSec * RATE_SHARE / 100) * 100);

    const healthy = await runTrackedRound({ ...round, orderPrefix: 'healthy', durationSec: DURATION_SEC, overallRate });
    await collector.request('respondWith', { behaviour: { delayMs: STALL_MS } });
    // The stalled tracker has no spool and cannot finish its queue, so close() gives up after 1 s.
    const stalled = await runTrackedRound({
      ...round, orderPrefix: 'stalled', durationSec: DURATION_SEC, overallRate, closeTimeoutMs: 1000,
    });
    await collector.request('respondWith', { behaviour: {} });
    await collector.request('reset');

    return {
      number: 4,
      title: `Independence from Mapp (collector stalls ${STALL_MS} ms per request)`,
      rows: [ratioRow({
        label: `p99 latency of GET /order/complete at ${formatNumber(overallRate)} req/s, collector stalling`,
        unit: 'ms',
        measured: stalled.load.latencyP99Ms,
        baseline: healthy.load.latencyP99Ms,
        baselineLabel: 'the same rate with a healthy collector',
        target: { text: 'ratio <= 1.5', isMet: (_value, ratio) => ratio <= 1.5 },
      })],
      details: [
        `fixed rate: ${RATE_SHARE * 100}% of the ${formatNumber(probe.load.requestsPerSec)} req/s a 2 s probe reached; `
          + `latencies corrected for coordinated omission by autocannon`,
        ...[['healthy', healthy], ['stalled', stalled]].map(([name, run]) => `${name}: ${formatNumber(run.load.requestsPerSec)} req/s, `
          + `p50 ${run.load.latencyP50Ms} ms, p99 ${run.load.latencyP99Ms} ms, max ${run.load.latencyMaxMs} ms, `
          + `${run.load.failed} failed requests, shop process CPU ${Math.round(run.shopCpuShare * 100)}%; `
          + `tracker: ${formatNumber(run.shop.stats.sent)} sent, ${formatNumber(run.shop.stats.dropped)} dropped`),
        describeLog('stalled run tracker log', stalled.shop.log),
        pinned ? 'shop process pinned to CPU 1; autocannon and the collector pinned to CPU 0' : 'processes not pinned to CPUs',
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
