import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import type { WorkerConfig } from '../fixtures/spool-worker';

const WORKER = path.join(__dirname, '..', 'fixtures', 'spool-worker.ts');

export interface WorkerMessage {
  event: 'accepted' | 'closed';
  count?: number;
  stats?: { sent: number; queued: number; inFlight: number; onDisk: number };
}

/** A running spool worker: a separate Node process with its own tracker. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Resolves with the first message of this kind the worker prints; rejects when it exits first. */
  waitFor(event: WorkerMessage['event']): Promise<WorkerMessage>;
  /** Resolves with the exit code, or the signal name when a signal ended the worker. */
  exited: Promise<number | string>;
}

/** Start test/fixtures/spool-worker.ts through ts-node, so the test needs no build. */
export function startWorker(config: WorkerConfig): WorkerProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', WORKER, JSON.stringify(config)], {
    cwd: path.join(__dirname, '..', '..'),
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const messages: WorkerMessage[] = [];
  const listeners = new Set<() => void>();
  let stderr = '';
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines.filter((text) => text.trim() !== '')) {
      messages.push(JSON.parse(line) as WorkerMessage);
    }
    listeners.forEach((listener) => listener());
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });

  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(signal ?? code ?? -1);
      listeners.forEach((listener) => listener());
    });
  });

  function waitFor(event: WorkerMessage['event']): Promise<WorkerMessage> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = messages.find((message) => message.event === event);
        if (found !== undefined) {
          listeners.delete(check);
          resolve(found);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          listeners.delete(check);
          reject(new Error(`spool worker exited before "${event}": ${stderr}`));
        }
      };
      listeners.add(check);
      check();
    });
  }

  return { child, waitFor, exited };
}
