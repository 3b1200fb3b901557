import http from 'node:http';
import https from 'node:https';

import axios, { type AxiosInstance } from 'axios';

import { parseRetryAfter } from './retry-after';

/** Outcome of one request to the track server. `status` is absent when no HTTP response arrived. */
export interface TransportResult {
  status?: number;
  /** Milliseconds from a `Retry-After` header, when the server sent one. */
  retryAfterMs?: number;
  /** Network error, timeout or oversized response, when no complete HTTP response arrived. */
  error?: Error;
}

/** Sends hit lines to the track server: a short lone line as a GET, anything else as one batch POST. */
export interface Transport {
  send(lines: readonly string[]): Promise<TransportResult>;
  close(): void;
}

export interface HttpTransportOptions {
  trackId: string;
  trackDomain: string;
  secure: boolean;
  /** Time limit of one whole request, from connecting to the last byte of the response. */
  timeoutMs: number;
}

/**
 * Longest URL a lone hit is sent with as a GET; a longer hit goes out as a one-line batch POST. Servers and
 * proxies reject long request lines at limits of their own (8 KiB in nginx's default buffers, 16 KiB in
 * Node's default header limit), and 2 KiB stays below every common one.
 */
export const MAX_GET_URL_BYTES = 2048;

/** Largest response body read; Mapp responds to a hit with a 43-byte GIF or an empty body. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export function createHttpTransport({ trackId, trackDomain, secure, timeoutMs }: HttpTransportOptions): Transport {
  const baseURL = `${secure ? 'https' : 'http'}://${trackDomain}/${trackId}/`;
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 4 });

  const client: AxiosInstance = axios.create({
    baseURL,
    // Once connected, axios's timeout is an idle timeout on the socket, so a response trickling one byte at a
    // time never reaches it. The AbortSignal in send() limits the whole request.
    timeout: timeoutMs,
    httpAgent,
    httpsAgent,
    // Mapp responds to a hit with a GIF or an empty body, so a redirect is not an acknowledgement.
    maxRedirects: 0,
    maxContentLength: MAX_RESPONSE_BYTES,
    validateStatus: () => true,
    responseType: 'arraybuffer',
    proxy: false,
  });

  function request(lines: readonly string[], signal: AbortSignal) {
    if (lines.length === 1 && Buffer.byteLength(baseURL + lines[0]) <= MAX_GET_URL_BYTES) {
      return client.get(lines[0], { signal });
    }
    return client.post('batch', lines.join('\n'), { headers: { 'Content-Type': 'text/plain; charset=utf-8' }, signal });
  }

  return {
    async send(lines) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      timer.unref();
      try {
        const response = await request(lines, controller.signal);
        return { status: response.status, retryAfterMs: parseRetryAfter(response.headers['retry-after']) };
      } catch (error) {
        if (controller.signal.aborted) {
          return { error: new Error(`the request timed out: no complete response within timeoutMs (${timeoutMs} ms)`) };
        }
        return { error: error instanceof Error ? error : new Error(String(error)) };
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
