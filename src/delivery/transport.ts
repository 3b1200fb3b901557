import http from 'node:http';
import https from 'node:https';

import axios, { type AxiosInstance } from 'axios';

/** Outcome of one request to the track server. `status` is absent when no HTTP response arrived. */
export interface TransportResult {
  status?: number;
  /** Milliseconds from a `Retry-After` header, when the server sent one. */
  retryAfterMs?: number;
  /** Network error or timeout, when no HTTP response arrived. */
  error?: Error;
}

/** Sends hit lines to the track server: one line as a GET, several as one batch POST. */
export interface Transport {
  send(lines: readonly string[]): Promise<TransportResult>;
  close(): void;
}

export interface HttpTransportOptions {
  trackId: string;
  trackDomain: string;
  secure: boolean;
  timeoutMs: number;
}

export function createHttpTransport({ trackId, trackDomain, secure, timeoutMs }: HttpTransportOptions): Transport {
  const baseURL = `${secure ? 'https' : 'http'}://${trackDomain}/${trackId}/`;
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 4 });

  const client: AxiosInstance = axios.create({
    baseURL,
    timeout: timeoutMs,
    httpAgent,
    httpsAgent,
    // Mapp responds to a hit with a GIF or an empty body, so a redirect is not an acknowledgement.
    maxRedirects: 0,
    validateStatus: () => true,
    responseType: 'arraybuffer',
    proxy: false,
  });

  return {
    async send(lines) {
      try {
        const response = lines.length === 1
          ? await client.get(lines[0])
          : await client.post('batch', lines.join('\n'), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
        return { status: response.status, retryAfterMs: parseRetryAfter(response.headers['retry-after']) };
      } catch (error) {
        return { error: error instanceof Error ? error : new Error(String(error)) };
      }
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/** Parse `Retry-After` as seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    return undefined;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim()) * 1000;
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
