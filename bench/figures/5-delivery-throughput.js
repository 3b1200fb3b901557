// Figure 5: hits per second from trackOrder to the collector with large batches, and the tracker's CPU
// time per hit. The collector runs in its own process on the other CPU, so its decoding is not counted.
const http = require('node:http');
const path = require('node:path');

const { createTracker } = require('mapp-s2s');

const { createCountingLogger } = require('../lib/logger');
const { describeLog } = require('../lib/report');
const { ratioRow, runFigure } = require('../lib/figure');
const { formatNumber, msSince } = require('../lib/numbers');
const { sampleOrder, SAMPLE_VISITOR, TRACK_ID } = require('../lib/orders');
const { pinToCpu, startProcess } = require('../lib/processes');

const ORDERS = 100_000;
const WARMUP_ORDERS = 10_000;
const MAX_BATCH_SIZE = 2_000;
/**
 * Orders handed to trackOrder before the loop yields to I/O, as a shop's request handlers would, and the
 * most that may wait in memory at once.
 */
const CHUNK = 200;
const MAX_WAITING = 20_000;

async function measure() {
  const pinned = pinToCpu(process.pid, 1);
  const collector = await startProcess(path.join(__dirname, '../lib/collector-process.js'), { cpu: 0 });
  try {
    await trackAndDeliver(collector, 'warmup', WARMUP_ORDERS);
    await collector.request('reset');
    const tracked = await trackAndDeliver(collector, 'measured', ORDERS);
    const counted = await collector.request('countOrders', { prefix: 'measured', expected: ORDERS });

    const lines = await collector.request('lines', { count: MAX_BATCH_SIZE });
    await collector.request('reset');
    const direct = await postDirectly(collector.info.trackDomain, lines, ORDERS);
    await collector.request('reset');

    const hitsPerSec = ORDERS / (tracked.elapsedMs / 1000);
    const cpuMicrosPerHit = tracked.cpuMicros / ORDERS;
    return {
      number: 5,
      title: `Delivery throughput (maxBatchSize ${formatNumber(MAX_BATCH_SIZE)}, no spool)`,
      rows: [
        ratioRow({
          label: `hits/s from the first trackOrder to the last of ${formatNumber(ORDERS)} hits acknowledged by the collector`,
          unit: 'hits/s',
          measured: hitsPerSec,
          baseline: direct.hitsPerSec,
          baselineLabel: 'the same lines POSTed to the collector directly with node:http, same batch size',
          target: { text: '>= 20,000 hits/s', isMet: (value) => value >= 20_000 },
        }),
        ratioRow({
          label: 'CPU time of the tracker process per hit (user + system)',
          unit: 'µs',
          measured: cpuMicrosPerHit,
          baseline: direct.cpuMicros / ORDERS,
          baselineLabel: 'CPU time per hit of the direct POSTs',
        }),
      ],
      checks: [{
        label: 'every order delivered exactly once',
        passed: counted.once === ORDERS && counted.hits === ORDERS,
        detail: `${formatNumber(counted.once)} of ${formatNumber(ORDERS)} arrived once, ${counted.repeated} repeated, ${counted.missing} missing`,
      }],
      details: [
        `tracker: ${formatNumber(tracked.elapsedMs)} ms, ${formatNumber(tracked.requests)} requests to the collector, `
          + `${formatNumber(ORDERS / tracked.requests, 1)} hits per request on average`,
        `direct POSTs: ${formatNumber(direct.elapsedMs)} ms, ${formatNumber(direct.requests)} requests`,
        describeLog('tracker log', tracked.log),
        pinned && collector.pinned ? 'tracker (this process) pinned to CPU 1, collector pinned to CPU 0' : 'processes not pinned to CPUs',
      ],
    };
  } finally {
    await collector.stop();
  }
}

/**
 * Track `count` orders as fast as the tracker takes them, keeping at most MAX_WAITING in memory, and wait
 * until the tracker has seen every hit acknowledged.
 */
async function trackAndDeliver(collector, prefix, count) {
  const log = createCountingLogger();
  const tracker = createTracker({
    trackId: TRACK_ID,
    trackDomain: collector.info.trackDomain,
    secure: false,
    logger: log.logger,
    maxBatchSize: MAX_BATCH_SIZE,
    maxQueue: MAX_WAITING + CHUNK,
  });
  let requests = 0;
  let acknowledged = 0;
  let onProgress = () => undefined;
  tracker.on('sent', ({ orderIds }) => {
    requests += 1;
    acknowledged += orderIds.length;
    onProgress();
  });
  const progress = () => new Promise((resolve) => {
    onProgress = resolve;
  });

  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let first = 1; first <= count; first += CHUNK) {
    while (first - 1 - acknowledged > MAX_WAITING) {
      await progress();
    }
    const chunk = [];
    for (let number = first; number < first + CHUNK && number <= count; number += 1) {
      chunk.push(tracker.trackOrder(sampleOrder(`${prefix}-${number}`), SAMPLE_VISITOR));
    }
    await Promise.all(chunk);
    await new Promise((resolve) => setImmediate(resolve));
  }
  while (acknowledged < count) {
    await progress();
  }
  const elapsedMs = msSince(start);
  const cpu = process.cpuUsage(cpuBefore);

  await tracker.close({ timeoutMs: 1000 });
  return { elapsedMs, cpuMicros: cpu.user + cpu.system, requests, log: log.summary() };
}

/** POST `lines` as batches to the collector, one request at a time, until `count` hits went out. */
async function postDirectly(trackDomain, lines, count) {
  const [host, port] = trackDomain.split(':');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const body = lines.join('\n');
  let sent = 0;
  let requests = 0;
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  while (sent < count) {
    const batch = Math.min(lines.length, count - sent);
    await postBatch({ host, port, agent, body: batch === lines.length ? body : lines.slice(0, batch).join('\n') });
    sent += batch;
    requests += 1;
  }
  const elapsedMs = msSince(start);
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  return { hitsPerSec: count / (elapsedMs / 1000), elapsedMs, cpuMicros: cpu.user + cpu.system, requests };
}

function postBatch({ host, port, agent, body }) {
  return new Promise((resolve, reject) => {
    const request = http.request({
      host, port, agent, method: 'POST', path: `/${TRACK_ID}/batch`,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) },
    }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`collector responded with status ${response.statusCode}`))));
    });
    request.on('error', reject);
    request.end(body);
  });
}

if (require.main === module) {
  runFigure(measure);
}

module.exports = { measure };
