// Helper processes of the benchmarks: started with fork(), driven over the IPC channel, each pinned to
// one CPU when the machine has two or more, so that the load generator does not take the measured
// process's CPU.
const { execFileSync, fork } = require('node:child_process');
const os = require('node:os');

/** Pin a process and all its threads to one CPU. Returns false where taskset is missing (not Linux). */
function pinToCpu(pid, cpu) {
  if (cpu === undefined || os.cpus().length < 2) {
    return false;
  }
  try {
    execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', String(cpu), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Start `script` as a child process and resolve once it reports `{ type: 'ready', ...info }`. The handle
 * sends requests that the child handles through `serveRequests`, and stops the child.
 */
function startProcess(script, { args = [], cpu, env, execArgv = process.execArgv } = {}) {
  const child = fork(script, args, {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  const pinned = pinToCpu(child.pid, cpu);
  const pending = new Map();
  let nextId = 0;

  child.on('message', (message) => {
    const request = pending.get(message.id);
    if (request === undefined) {
      return;
    }
    pending.delete(message.id);
    if (message.error === undefined) {
      request.resolve(message.result);
    } else {
      request.reject(new Error(`${script}: ${message.error}`));
    }
  });

  const exited = new Promise((resolve) => child.once('exit', resolve));
  exited.then((code) => {
    for (const request of pending.values()) {
      request.reject(new Error(`${script} exited with code ${code} before it responded`));
    }
    pending.clear();
  });

  const handle = {
    pid: child.pid,
    pinned,
    info: undefined,
    request(type, payload = {}) {
      nextId += 1;
      const id = nextId;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, type, ...payload });
      });
    },
    /** Ask the child to exit; kill it when it has not exited within `timeoutMs`. */
    async stop(timeoutMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };

  return new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`${script} exited with code ${code} before it was ready`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      if (message.type !== 'ready') {
        reject(new Error(`${script} sent ${JSON.stringify(message)} instead of being ready`));
        return;
      }
      handle.info = message;
      resolve(handle);
    });
  });
}

/**
 * In a child process: handle the parent's requests with `handlers[type](payload)`, report `info` as
 * ready, and exit when the parent disconnects or dies, so no helper outlives a benchmark.
 */
function serveRequests(handlers, info = {}) {
  process.on('message', async ({ id, type, ...payload }) => {
    try {
      const handler = handlers[type];
      if (handler === undefined) {
        throw new Error(`unknown request type ${JSON.stringify(type)}`);
      }
      process.send({ id, result: await handler(payload) });
    } catch (error) {
      process.send({ id, error: error instanceof Error ? error.stack : String(error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ type: 'ready', ...info });
}

module.exports = { pinToCpu, serveRequests, startProcess };
