const path = require('node:path');

const { runLoad } = require('./load');
const { formatNumber, median } = require('./numbers');
const { pinToCpu, startProcess } = require('./processes');
const { describeLog } = require('./report');

/** The shop gets CPU 1 to itself; autocannon (this process) and the collector share CPU 0. */
const SHOP_CPU = 1;
const LOAD_CPU = 0;

/** Start the collector in its own process on the load generator's CPU, and pin this process there too. */
async function startLoadSide() {
  const pinned = pinToCpu(process.pid, LOAD_CPU);
  const collector = await startProcess(path.join(__dirname, 'collector-process.js'), { cpu: LOAD_CPU });
  return { collector, pinned: pinned && collector.pinned };
}

/** Start a shop process serving the baseline and the tracked variant, pinned to the shop's CPU. */
function startShop(collector, orderPrefix) {
  return startProcess(path.join(__dirname, 'shop-process.js'), {
    args: [JSON.stringify({ trackDomain: collector.info.trackDomain, orderPrefix })],
    cpu: SHOP_CPU,
    execArgv: profileArguments(),
  });
}

/** With BENCH_CPU_PROF_DIR set, each shop process writes a V8 CPU profile there when it exits. */
function profileArguments() {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir === undefined || dir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`];
}

function variantUrl(shop, variant, urlPath) {
  return `http://127.0.0.1:${shop.info.ports[variant]}${urlPath}`;
}

/** Put `durationSec` of load on `url`, and return it with the share of a CPU the shop process used meanwhile. */
async function measureLoad(shop, url, durationSec, overallRate) {
  const cpuBefore = await shop.request('cpuUsage');
  const load = await runLoad({ url, durationSec, overallRate });
  const cpuAfter = await shop.request('cpuUsage');
  const cpuMicros = cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system;
  return { load, shopCpuShare: cpuMicros / 1000 / (cpuAfter.atMs - cpuBefore.atMs) };
}

/**
 * Start a fresh shop process, warm up its tracked variant, put `durationSec` of load on `urlPath`, then
 * let it deliver what it queued (at most `closeTimeoutMs`) and report its counts.
 */
async function runTrackedRound({ collector, orderPrefix, urlPath, warmupSec, durationSec, overallRate, closeTimeoutMs = 10_000 }) {
  const shop = await startShop(collector, orderPrefix);
  try {
    const url = variantUrl(shop, 'tracked', urlPath);
    await runLoad({ url, durationSec: warmupSec, overallRate });
    const measured = await measureLoad(shop, url, durationSec, overallRate);
    const shopReport = await shop.request('finish', { timeoutMs: closeTimeoutMs });
    return { ...measured, shop: shopReport };
  } finally {
    await shop.stop();
  }
}

/**
 * Measure requests per second on `urlPath` with and without tracking in one shop process, `rounds` runs of
 * each, alternating the order (baseline, tracked, tracked, baseline, ...) so drift in the machine's speed
 * hits both alike. One process for both variants keeps the run-to-run differences of fresh processes
 * (several percent) out of the ratio. Returns every run, the shop's report and the median of each variant.
 */
async function compareThroughput({ collector, urlPath, orderPrefix, rounds = 5, warmupSec = 1, durationSec = 3 }) {
  const shop = await startShop(collector, orderPrefix);
  try {
    for (const variant of ['baseline', 'tracked']) {
      await runLoad({ url: variantUrl(shop, variant, urlPath), durationSec: warmupSec });
    }
    const runs = [];
    for (let index = 0; index < rounds * 2; index += 1) {
      const variant = index % 4 === 1 || index % 4 === 2 ? 'tracked' : 'baseline';
      runs.push({ variant, ...await measureLoad(shop, variantUrl(shop, variant, urlPath), durationSec) });
    }
    const shopReport = await shop.request('finish', { timeoutMs: 10_000 });
    const medianRps = (variant) => median(runs.filter((run) => run.variant === variant).map((run) => run.load.requestsPerSec));
    return { runs, shop: shopReport, pinned: shop.pinned, baselineRps: medianRps('baseline'), trackedRps: medianRps('tracked') };
  } finally {
    await shop.stop();
  }
}

/** Describe each run in one line, in the order they ran, then the tracker's log and how the processes were placed. */
function describeRuns(result, loadSidePinned) {
  const lines = result.runs.map((run, index) => `run ${index + 1} ${run.variant}: ${formatNumber(run.load.requestsPerSec)} req/s, `
    + `p99 ${run.load.latencyP99Ms} ms, ${run.load.failed} failed requests, shop process CPU ${Math.round(run.shopCpuShare * 100)}%`);
  lines.push(describeLog('tracker log', result.shop.log));
  lines.push(loadSidePinned && result.pinned
    ? 'shop process (both variants, one port each) pinned to CPU 1; autocannon (10 connections) and the collector pinned to CPU 0'
    : 'processes not pinned to CPUs (taskset missing or fewer than 2 CPUs)');
  return lines;
}

module.exports = { compareThroughput, describeRuns, runTrackedRound, startLoadSide };
