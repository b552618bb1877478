import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { clientIpFromFetch, decisionRequestFromFetch } from '@/lib/http/request-facts';
import { errorAnswer, toResponse } from '@/lib/http/answers';
import { readBounded } from '@/lib/gateway/body-limit';
import { recordExchange, type Exchange, type ExchangeEnd } from '@/lib/gateway/exchange';
import type { GatewayPlan, InboundCall, UpstreamCall } from '@/lib/gateway/plan';
import { clientResponseHeaders } from '@/lib/gateway/response-headers';
import { UpstreamAgent } from '@/lib/gateway/upstream-agent';
import { upstreamFailureAnswer } from '@/lib/gateway/upstream-failure';
import { sendUpstream } from '@/lib/gateway/upstream-request';
import { pullingWebStream } from '@/lib/gateway/transports/web-body';
import type { GatewayRuntime } from '@/lib/gateway/transports/custom-server';

const NO_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** The facts of a fetch Request, for the planner. */
export function inboundFromFetch(request: Request, runtime: GatewayRuntime): InboundCall {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return {
    decision: decisionRequestFromFetch(request, runtime.config, `${url.pathname}${url.search}`),
    // The fetch API does not say; Next and Vercel serve route handlers over HTTP/1.1 semantics.
    httpVersion: '1.1',
    headers,
    clientIp: clientIpFromFetch(request, runtime.config),
    readBody: (limit) => readBounded(request.body as AsyncIterable<Uint8Array> | null, limit),
  };
}

/**
 * The route handler's transport (`next start`, Vercel): the same pipeline as the custom server,
 * carried by a fetch Request and Response. Both bodies stream with backpressure: the request body
 * is piped into the upstream request, MLflow's answer is handed to Next as a pulling web stream
 * (web-body.ts). A client that goes away (request.signal) destroys the upstream exchange.
 */
export function createRouteHandlerTransport(runtime: GatewayRuntime & { customServer: boolean }) {
  const agent = new UpstreamAgent();
  const target = { url: runtime.config.upstreamUrl, agent, timeoutMs: runtime.config.upstreamTimeoutMs };
  const inFlight = runtime.sinks.metrics.inFlight.gateway;
  // Every exchange ends here exactly once: its log line, audit entry and metrics.
  const finish = (exchange: Exchange, end: ExchangeEnd) => {
    inFlight.dec();
    recordExchange(exchange, end, runtime.sinks);
  };

  async function handle(request: Request): Promise<Response> {
    if (runtime.customServer) {
      // server.ts decides every /mlflow/* path and hands Next only normalised non-MLflow ones, so
      // reaching this handler there means a second path to MLflow: it must never forward.
      runtime.sinks.log('error', 'gateway.route_handler_under_custom_server', { method: request.method });
      return toResponse(errorAnswer('not_found', 'not found', { accept: request.headers.get('accept') }), request.method);
    }
    inFlight.inc();
    let plan: GatewayPlan;
    try {
      plan = await runtime.planMlflowCall(inboundFromFetch(request, runtime));
    } catch (error) {
      inFlight.dec();
      throw error;
    }
    if (plan.kind === 'answer') {
      finish(plan.exchange, { status: plan.answer.status, bytesIn: 0, bytesOut: Buffer.byteLength(plan.answer.body) });
      return toResponse(plan.answer, request.method);
    }
    return forward(request, plan.call, plan.exchange);
  }

  async function forward(request: Request, call: UpstreamCall, exchange: Exchange): Promise<Response> {
    let bytesIn = 0;
    const source = call.body.kind === 'stream' && request.body ? Readable.fromWeb(request.body as NodeWebStream<Uint8Array>) : undefined;
    if (source) source.on('data', (chunk: Buffer) => (bytesIn += chunk.length));
    else if (call.body.kind === 'buffered') bytesIn = call.body.bytes.length;
    exchange.upstreamStarted = performance.now();
    const sent = sendUpstream(call, target, source);
    const abort = () => sent.request.destroy();
    request.signal.addEventListener('abort', abort, { once: true });
    let upstream: IncomingMessage;
    try {
      upstream = await sent.response;
    } catch (failure) {
      request.signal.removeEventListener('abort', abort);
      const answer = upstreamFailureAnswer(failure, runtime.config, request.headers.get('accept'), call.setCookies);
      finish(exchange, { status: answer.status, bytesIn, bytesOut: Buffer.byteLength(answer.body) });
      return toResponse(answer, request.method);
    }
    exchange.upstreamMs = performance.now() - exchange.upstreamStarted;
    const status = upstream.statusCode ?? 502;
    let bytesOut = 0;
    upstream.once('close', () => {
      request.signal.removeEventListener('abort', abort);
      finish(exchange, { status: upstream.complete ? status : 499, bytesIn, bytesOut });
    });
    const headers = toHeaders(clientResponseHeaders(upstream.headers, runtime.config.upstreamUrl, call.setCookies));
    const bodiless = request.method === 'HEAD' || NO_BODY_STATUSES.has(status);
    if (bodiless) upstream.resume();
    const body = bodiless ? null : pullingWebStream(upstream);
    // With the stream's 'readable' listener in place, 'data' fires only for what it reads.
    upstream.on('data', (chunk: Buffer) => (bytesOut += chunk.length));
    return new Response(body, { status, headers });
  }

  return { handle, close: () => agent.destroy() };
}

function toHeaders(outgoing: ReturnType<typeof clientResponseHeaders>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(outgoing)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [String(value)]) headers.append(name, item);
  }
  return headers;
}
