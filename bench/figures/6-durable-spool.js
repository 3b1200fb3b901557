// Figure 6: time for trackOrder to resolve with a spoolDir, where every hit is written, fsync'd and
// renamed into place before it resolves, against the same durable write done by hand.
const { execFileSync } = require('node:child_process');
const { promises: fs } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { createTracker } = require('mapp-s2s');

const { createCountingLogger } = require('../lib/logger');
const { describeLog } = require('../lib/report');
const { ratioRow, runFigure } = require('../lib/figure');
const { formatNumber, msSince, percentile } = require('../lib/numbers');
const { runConcurrently, sampleOrder, SAMPLE_VISITOR, TRACK_ID } = require('../lib/orders');
const { startProcess } = require('../lib/processes');

/** [orders, orders in flight at once]: one shopper at a time, then 16 confirmations at once. */
const PATTERNS = [[1_000, 1], [2_000, 16]];
/** Size of one spool file: a hit line of a two-product order with visitor data, in its JSON record. */
const RECORD_BYTES = 600;

async function measure() {
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mapp-s2s-bench-spool-'));
  const collector = await startProcess(path.join(__dirname, '../lib/collector-process.js'));
  try {
    const rows = [];
    const details = [`spool directory in ${os.tmpdir()} (${await describeFileSystem(workDir)})`];
    for (const [count, concurrency] of PATTERNS) {
      const spool = await timeTrackOrders({ collector, count, concurrency, spoolDir: path.join(workDir, `spool-${concurrency}`), prefix: `spool${concurrency}` });
      const bare = await timeDurableWrites({ count, concurrency, dir: path.join(workDir, `bare-${concurrency}`) });
      const memory = await timeTrackOrders({ collector, count, concurrency, prefix: `memory${concurrency}` });
      rows.push(ratioRow({
        label: `p99 time for trackOrder to resolve with spoolDir, ${concurrency} order${concurrency > 1 ? 's' : ''} at a time`,
        unit: 'ms',
        measured: spool.p99,
        baseline: bare.p99,
        baselineLabel: 'open, write, fsync, close, rename and fsync the directory by hand, same size and concurrency',
      }));
      details.push(`${concurrency} at a time, ${formatNumber(count)} orders: spool p50 ${formatNumber(spool.p50, 2)} ms, `
        + `p99 ${formatNumber(spool.p99, 2)} ms, max ${formatNumber(spool.max, 2)} ms; by hand p50 ${formatNumber(bare.p50, 2)} ms, `
        + `p99 ${formatNumber(bare.p99, 2)} ms; without spool p99 ${formatNumber(memory.p99, 3)} ms`);
      details.push(describeLog(`tracker log (spool, ${concurrency} at a time)`, spool.log));
    }
    return { number: 6, title: 'Durable spool (trackOrder with spoolDir, fsync included)', rows, details };
  } finally {
    await collector.stop();
    await fs.rm(workDir, { recursive: true, force: true });
  }
}

/** Track `count` orders, `concurrency` at a time, and return the percentiles of their trackOrder times. */
async function timeTrackOrders({ collector, count, concurrency, spoolDir, prefix }) {
  const log = createCountingLogger();
  const tracker = createTracker({
    trackId: TRACK_ID, trackDomain: collector.info.trackDomain, secure: false, logger: log.logger, spoolDir,
  });
  const times = await timeEach(count, concurrency, (number) => tracker.trackOrder(sampleOrder(`${prefix}-${number}`), SAMPLE_VISITOR));
  await tracker.close({ timeoutMs: 10_000 });
  return { ...times, log: log.summary() };
}

/** Durable writes of RECORD_BYTES each as a careful program would do them, one file per order. */
async function timeDurableWrites({ count, concurrency, dir }) {
  await fs.mkdir(dir, { recursive: true });
  const data = 'x'.repeat(RECORD_BYTES);
  return timeEach(count, concurrency, async (number) => {
    const tmpPath = path.join(dir, `${number}.tmp`);
    const handle = await fs.open(tmpPath, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    await fs.rename(tmpPath, path.join(dir, `${number}.hit`));
    const dirHandle = await fs.open(dir, 'r');
    await dirHandle.sync();
    await dirHandle.close();
  });
}

/** Run `task(1..count)`, `concurrency` at a time, and return p50, p99 and max of the single task times in ms. */
async function timeEach(count, concurrency, task) {
  const times = [];
  await runConcurrently(count, concurrency, async (number) => {
    const start = process.hrtime.bigint();
    await task(number);
    times.push(msSince(start));
  });
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), max: times[times.length - 1] };
}

/** Return the file system type and device of `dir` as df reports them, or 'file system unknown'. */
async function describeFileSystem(dir) {
  try {
    const line = execFileSync('df', ['--output=fstype,source', dir], { encoding: 'utf8' }).trim().split('\n')[1];
    return line.trim().split(/\s+/).join(' on ');
  } catch {
    return 'file system unknown';
  }
}

if (require.main === module) {
  runFigure(measure);
}

module.exports = { measure };
