import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Config } from '@/lib/config';
import type { Identity } from '@/lib/auth/identity';
import { upstreamHeaders } from '@/lib/gateway/upstream-headers';
import { rewriteResponseHeaders } from '@/lib/gateway/response-headers';

export interface BufferedForward {
  method: string;
  /** The normalised upstream path, already encoded, plus the query. */
  target: string;
  headers: IncomingHttpHeaders;
  body: Buffer | undefined;
  identity: Identity;
  clientIp: string;
  secure: boolean;
  requestId: string;
  setCookies: string[];
}

export class UpstreamTimeoutError extends Error {
  override name = 'UpstreamTimeoutError';
}

/**
 * Forwards one request whose (capped) body is already in memory, with `node:http`: the Vercel
 * route-handler path. The request body is complete before the first byte goes upstream, so MLflow
 * never sees a truncated upload; the response streams back.
 */
export function forwardBuffered(config: Config, call: BufferedForward): Promise<Response> {
  const headers = upstreamHeaders(call.headers, {
    identity: call.identity,
    upstreamHost: config.upstreamUrl.host,
    clientIp: call.clientIp,
    proto: call.secure ? 'https' : 'http',
    requestId: call.requestId,
  });
  headers['content-length'] = String(call.body?.length ?? 0);
  const url = new URL(`${config.upstreamUrl.pathname.replace(/\/$/, '')}${call.target}`, config.upstreamUrl);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const upstream = send(url, { method: call.method, headers, timeout: config.upstreamTimeoutMs }, (res) => {
      rewriteResponseHeaders(res.headers, config.upstreamUrl, call.setCookies);
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(res.headers)) {
        if (value === undefined || ['connection', 'keep-alive', 'transfer-encoding'].includes(name)) continue;
        for (const item of Array.isArray(value) ? value : [value]) responseHeaders.append(name, item);
      }
      const status = res.statusCode ?? 502;
      const body = status === 204 || status === 304 || call.method === 'HEAD' ? null : (ReadableStreamFrom(res) as ReadableStream<Uint8Array>);
      resolve(new Response(body, { status, headers: responseHeaders }));
    });
    upstream.on('timeout', () => upstream.destroy(new UpstreamTimeoutError('upstream timeout')));
    upstream.on('error', reject);
    upstream.end(call.body);
  });
}

function ReadableStreamFrom(stream: NodeJS.ReadableStream): ReadableStream {
  return new ReadableStream({
    start(controller) {
      stream.on('data', (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk)));
      stream.on('end', () => controller.close());
      stream.on('error', (error) => controller.error(error));
    },
    cancel() {
      (stream as unknown as { destroy(): void }).destroy();
    },
  });
}
