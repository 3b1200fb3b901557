import type { IncomingMessage } from 'node:http';

import type { Context } from 'koa';

// 1 MiB, the JSON limit that @koa/bodyparser 6 applies by default; payment notifications are far smaller.
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** The request fields a Koa body parser such as @koa/bodyparser sets. */
interface ParsedRequest {
  body?: unknown;
  rawBody?: string;
}

/**
 * A Koa context as orderWebhook's callbacks receive it: `ctx.request.body` is the parsed notification and
 * `ctx.request.rawBody` its text, whether a body parser or orderWebhook read it. Koa's own types declare
 * neither field.
 */
export type WebhookContext = Context & { request: ParsedRequest };

/**
 * Read a JSON request body when no body parser ran before, so the shop's callbacks find it in
 * `ctx.request.body` either way, and its text in `ctx.request.rawBody`, as @koa/bodyparser sets them.
 * Leaves the request alone when `ctx.request.body` is already set, when the content type is not JSON and
 * when a middleware before has read the stream. Throws a 400 (invalid JSON, aborted upload) or 413 (more
 * than MAX_JSON_BODY_BYTES) HTTP error through `ctx.throw`.
 */
export async function readJsonBody(ctx: WebhookContext): Promise<void> {
  const { request } = ctx;
  if (request.body !== undefined || ctx.req.readableEnded || !ctx.is('application/json', '+json')) {
    return;
  }

  const tooLarge = `orderWebhook: the JSON body is larger than ${MAX_JSON_BODY_BYTES} bytes; `
    + 'mount a body parser with a larger limit before orderWebhook';
  if (Number(ctx.get('content-length')) > MAX_JSON_BODY_BYTES) {
    ctx.throw(413, tooLarge);
  }

  let text: string;
  try {
    text = await readText(ctx.req, MAX_JSON_BODY_BYTES);
  } catch (status) {
    ctx.throw(status === 413 ? 413 : 400, status === 413 ? tooLarge : 'orderWebhook: the request body could not be read');
  }

  let body: unknown;
  try {
    // An empty body becomes {}, as with @koa/bodyparser.
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    ctx.throw(400, 'orderWebhook: the request body is not valid JSON');
  }
  request.rawBody = text;
  request.body = body;
}

/**
 * Read a request stream as UTF-8 text. Rejects with 413 once it exceeds `maxBytes` and with 400 when the
 * upload fails. On 413 the rest of the stream is left unread rather than destroyed, so Node can still send
 * the error response and then discard the remaining bytes.
 */
function readText(stream: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;

    const stop = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onFailure);
      stream.off('close', onClose);
    };
    function onData(chunk: Buffer): void {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        stop();
        reject(413);
        return;
      }
      chunks.push(chunk);
    }
    function onEnd(): void {
      stop();
      resolve(Buffer.concat(chunks).toString('utf8'));
    }
    function onFailure(): void {
      stop();
      reject(400);
    }
    function onClose(): void {
      if (!stream.complete) {
        onFailure();
      }
    }

    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onFailure);
    stream.on('close', onClose);
  });
}
