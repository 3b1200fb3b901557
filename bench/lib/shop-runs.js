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

/**
 * Start a fresh shop process, warm it up, put `durationSec` of load on `urlPath`, then let it deliver what
 * it queued and report its counts. A fresh process per run keeps sessions and orders of one run from
 * slowing the next.
 */
async function runShopRound({ tracked, collector, orderPrefix, urlPath, warmupSec, durationSec, overallRate, closeTimeoutMs = 10_000 }) {
  const settings = { tracked, trackDomain: collector.info.trackDomain, orderPrefix };
  const shop = await startProcess(path.join(__dirname, 'shop-process.js'), {
    args: [JSON.stringify(settings)],
    cpu: SHOP_CPU,
    execArgv: profileArguments(),
  });
  try {
    const url = `http://127.0.0.1:${shop.info.port}${urlPath}`;
    await runLoad({ url, durationSec: warmupSec, overallRate });
    const cpuBefore = await shop.request('cpuUsage');
    const load = await runLoad({ url, durationSec, overallRate });
    const cpuAfter = await shop.request('cpuUsage');
    const shopCpuShare = (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / 1000 / (cpuAfter.atMs - cpuBefore.atMs);
    const shopReport = await shop.request('finish', { timeoutMs: closeTimeoutMs });
    return { orderPrefix, load, shopCpuShare, shop: shopReport, pinned: shop.pinned };
  } finally {
    await shop.stop();
  }
}

/** With BENCH_CPU_PROF_DIR set, each shop process writes a V8 CPU profile there when it exits. */
function profileArguments() {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir === undefined || dir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`];
}

/**
 * Measure requests per second on `urlPath` with and without tracking, `rounds` runs each, alternating the
 * order (baseline, tracked, tracked, baseline, ...) so drift in the machine's speed hits both alike.
 * Returns every run and the median requests per second of each variant.
 */
async function compareThroughput({ collector, urlPath, rounds = 4, warmupSec = 1, durationSec = 3, label }) {
  const runs = { baseline: [], tracked: [] };
  for (let index = 0; index < rounds * 2; index += 1) {
    const tracked = index % 4 === 1 || index % 4 === 2;
    const run = await runShopRound({ tracked, collector, orderPrefix: `${label}${index}`, urlPath, warmupSec, durationSec });
    runs[tracked ? 'tracked' : 'baseline'].push(run);
  }
  return {
    runs,
    baselineRps: median(runs.baseline.map((run) => run.load.requestsPerSec)),
    trackedRps: median(runs.tracked.map((run) => run.load.requestsPerSec)),
  };
}

/** Describe each run in one line, in the order they ran, and how the processes were placed. */
function describeRuns(runs, pinned) {
  const all = [...runs.baseline.map((run) => ['baseline', run]), ...runs.tracked.map((run) => ['tracked', run])]
    .sort(([, a], [, b]) => Number(a.orderPrefix.replace(/\D/g, '')) - Number(b.orderPrefix.replace(/\D/g, '')));
  const lines = all.map(([variant, run]) => `run ${run.orderPrefix} ${variant}: ${formatNumber(run.load.requestsPerSec)} req/s, `
    + `p99 ${run.load.latencyP99Ms} ms, ${run.load.failed} failed requests, shop process CPU ${Math.round(run.shopCpuShare * 100)}%`);
  lines.push(describeLog('tracker logs of the tracked runs together', mergeLogs(runs.tracked.map((run) => run.shop.log))));
  lines.push(pinned
    ? 'shop process pinned to CPU 1; autocannon (10 connections) and the collector pinned to CPU 0'
    : 'processes not pinned to CPUs (taskset missing or fewer than 2 CPUs)');
  return lines;
}

/** Add up the summaries of several counting loggers. */
function mergeLogs(logs) {
  const merged = { warn: 0, error: 0, messages: {} };
  for (const log of logs) {
    merged.warn += log.warn;
    merged.error += log.error;
    for (const [message, count] of Object.entries(log.messages)) {
      merged.messages[message] = (merged.messages[message] ?? 0) + count;
    }
  }
  return merged;
}

module.exports = { compareThroughput, mergeLogs, describeRuns, runShopRound, startLoadSide };
