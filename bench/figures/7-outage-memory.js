// Figure 7: 100,000 orders tracked with a spool while the collector is down: peak RSS growth of the
// tracker's process, then the time to deliver them all once the collector is back on the same port.
const { promises: fs } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { createTracker } = require('mapp-s2s');

const { createCountingLogger } = require('../lib/logger');
const { describeLog } = require('../lib/report');
const { ratioRow, runFigure } = require('../lib/figure');
const { formatNumber, msSince } = require('../lib/numbers');
const { runConcurrently, sampleOrder, SAMPLE_VISITOR, TRACK_ID } = require('../lib/orders');
const { startProcess } = require('../lib/processes');

const ORDERS = 100_000;
/** The tracker's default maxQueue: the first this many hits stay in memory, the rest wait on disk only. */
const MAX_QUEUE = 10_000;
/** Orders in flight at once, as from that many concurrent confirmation requests. */
const CONCURRENCY = 64;
const RSS_SAMPLE_MS = 20;
const MIB = 2 ** 20;

async function measure() {
  const spoolDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mapp-s2s-bench-outage-'));
  const collector = await startProcess(path.join(__dirname, '../lib/collector-process.js'));
  const log = createCountingLogger();
  let tracker;
  try {
    await collector.request('stop');
    tracker = createTracker({
      trackId: TRACK_ID,
      trackDomain: collector.info.trackDomain,
      secure: false,
      logger: log.logger,
      spoolDir,
      maxQueue: MAX_QUEUE,
      // Short waits, so the drain starts soon after the collector is back; the default retry.maxDelayMs is 60 s.
      retry: { minDelayMs: 100, maxDelayMs: 1000 },
    });
    let sent = 0;
    tracker.on('sent', ({ orderIds }) => {
      sent += orderIds.length;
    });

    const rss = startRssSampler();
    let rssAtMaxQueue;
    const intakeStart = process.hrtime.bigint();
    await runConcurrently(ORDERS, CONCURRENCY, async (number) => {
      await tracker.trackOrder(sampleOrder(`outage-${number}`), SAMPLE_VISITOR);
      if (number === MAX_QUEUE) {
        rssAtMaxQueue = rss.peak() - rss.start;
      }
    });
    const intakeMs = msSince(intakeStart);
    const outageStats = tracker.stats();
    const peakGrowth = rss.peak() - rss.start;

    const drainStart = process.hrtime.bigint();
    await collector.request('restart');
    while (sent < ORDERS) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const drainMs = msSince(drainStart);
    const drainPeakGrowth = rss.peak() - rss.start;
    rss.stop();
    const counted = await collector.request('countOrders', { prefix: 'outage', expected: ORDERS });

    return {
      number: 7,
      title: `Outage memory (${formatNumber(ORDERS)} orders with a spool while the collector is down)`,
      rows: [
        ratioRow({
          label: `peak RSS growth while ${formatNumber(ORDERS)} orders are tracked during the outage`,
          unit: 'MiB',
          measured: peakGrowth / MIB,
          baseline: rssAtMaxQueue / MIB,
          baselineLabel: `peak growth after the first ${formatNumber(MAX_QUEUE)} orders, which fill maxQueue`,
          target: { text: '< 100 MiB', isMet: (value) => value < 100 },
        }),
        ratioRow({
          label: `time to deliver all ${formatNumber(ORDERS)} once the collector is back`,
          unit: 's',
          measured: drainMs / 1000,
          baseline: intakeMs / 1000,
          baselineLabel: 'time the outage intake took: trackOrder of every order into the spool',
        }),
      ],
      checks: [{
        label: 'every order delivered exactly once after the outage',
        passed: counted.once === ORDERS && counted.hits === ORDERS,
        detail: `${formatNumber(counted.once)} of ${formatNumber(ORDERS)} arrived once, ${counted.repeated} repeated, ${counted.missing} missing`,
      }],
      details: [
        `RSS before the first order ${formatNumber(rss.start / MIB)} MiB; peak growth including the drain ${formatNumber(drainPeakGrowth / MIB)} MiB; `
          + `sampled every ${RSS_SAMPLE_MS} ms`,
        `during the outage: ${formatNumber(outageStats.queued + outageStats.inFlight)} hits in memory, ${formatNumber(outageStats.onDisk)} on disk only, `
          + `${formatNumber(outageStats.retried)} retries counted; ${CONCURRENCY} trackOrder calls in flight at once`,
        `drain: ${formatNumber(ORDERS / (drainMs / 1000))} hits/s with the default maxBatchSize (100), including up to 1 s of retry backoff`,
        describeLog('tracker log', log.summary()),
      ],
    };
  } finally {
    await tracker?.close({ timeoutMs: 1000 });
    await collector.stop();
    await fs.rm(spoolDir, { recursive: true, force: true });
  }
}

/** Sample this process's resident set size every RSS_SAMPLE_MS and keep the highest value. */
function startRssSampler() {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  return {
    start,
    peak: () => Math.max(peak, process.memoryUsage.rss()),
    stop: () => clearInterval(timer),
  };
}

if (require.main === module) {
  runFigure(measure);
}

module.exports = { measure };
