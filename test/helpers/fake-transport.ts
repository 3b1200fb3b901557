import type { Transport, TransportResult } from '../../src';

/** A transport that records each request and returns scripted results; 200 once the script runs out. */
export function createFakeTransport(script: TransportResult[] = []): Transport & { requests: string[][] } {
  const requests: string[][] = [];
  const results = [...script];
  return {
    requests,
    async send(lines) {
      requests.push([...lines]);
      return results.shift() ?? { status: 200 };
    },
    close() {},
  };
}
