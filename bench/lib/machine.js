const { readFileSync } = require('node:fs');
const os = require('node:os');

const { sleep } = require('./numbers');

/** The machine a benchmark runs on: CPUs, memory, Node version and the load average at this moment. */
function describeMachine() {
  const cpus = os.cpus();
  return {
    cpuCount: cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((load) => Number(load.toFixed(2))),
  };
}

/** Busy and total CPU ticks of the whole machine since boot, from /proc/stat; undefined off Linux. */
function readMachineTicks() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal = 0] = fields;
    const busy = user + nice + system + irq + softirq + steal;
    return { busy, total: busy + idle + iowait };
  } catch {
    return undefined;
  }
}

/**
 * CPU ticks used by this process and by its children that have exited and been reaped, which includes
 * their own reaped children, from /proc/self/stat.
 */
function readOwnTicks() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  // Fields 14 to 17 of proc(5): utime, stime, cutime, cstime; `fields` starts at field 3.
  return fields[11] + fields[12] + fields[13] + fields[14];
}

/**
 * Start measuring how much of the machine's CPU time other processes use. `stop()` returns that share
 * (0 to 1), or undefined off Linux. Call it after the measured child processes have exited.
 */
function startForeignCpuMeter() {
  const machineBefore = readMachineTicks();
  if (machineBefore === undefined) {
    return { stop: () => undefined };
  }
  const ownBefore = readOwnTicks();
  return {
    stop() {
      const machine = readMachineTicks();
      const total = machine.total - machineBefore.total;
      const foreign = machine.busy - machineBefore.busy - (readOwnTicks() - ownBefore);
      return total > 0 ? Math.max(0, foreign / total) : 0;
    },
  };
}

/**
 * Wait until other processes use less than `maxShare` of the CPUs over one second, for at most
 * `maxWaitMs`. Resolves with the last share measured (undefined off Linux).
 */
async function waitForQuietMachine({ maxShare, maxWaitMs, onBusy }) {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const meter = startForeignCpuMeter();
    await sleep(1000);
    const share = meter.stop();
    if (share === undefined || share < maxShare || Date.now() >= deadline) {
      return share;
    }
    onBusy(share);
  }
}

module.exports = { describeMachine, startForeignCpuMeter, waitForQuietMachine };
