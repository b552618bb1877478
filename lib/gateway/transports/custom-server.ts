import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '@/lib/config';
import { clientIpFromNode, decisionRequestFromNode } from '@/lib/http/request-facts';
import { writeAnswer } from '@/lib/http/answers';
import { readBounded, type BodyLimit } from '@/lib/gateway/body-limit';
import { recordExchange, type Exchange, type ExchangeSinks } from '@/lib/gateway/exchange';
import type { GatewayPlan, InboundCall, UpstreamCall } from '@/lib/gateway/plan';
import { clientResponseHeaders } from '@/lib/gateway/response-headers';
import { UpstreamAgent } from '@/lib/gateway/upstream-agent';
import { upstreamFailureAnswer } from '@/lib/gateway/upstream-failure';
import { sendUpstream } from '@/lib/gateway/upstream-request';

export interface GatewayRuntime {
  config: Config;
  sinks: ExchangeSinks;
  planMlflowCall(call: InboundCall): Promise<GatewayPlan>;
}

/** The facts of a Node request, for the planner; the body stays in `req` until the plan wants it. */
export function inboundFromNode(req: IncomingMessage, config: Config): InboundCall {
  return {
    decision: decisionRequestFromNode(req, config),
    httpVersion: req.httpVersion,
    headers: req.headers,
    clientIp: clientIpFromNode(req, config),
    readBody: bodyReader(req),
  };
}

// A factory for the reason given at headerReader (lib/http/request-facts.ts).
const bodyReader = (req: IncomingMessage) => (limit: BodyLimit) => readBounded(req, limit);

/**
 * The custom server's transport (server.ts): plans each /mlflow/* call with the shared pipeline,
 * then writes the answer or streams the call to MLflow and its response back, both ways with
 * backpressure and a 256 KiB high-water mark (lib/server/portal-server.ts). Bytes are counted as
 * the route-handler transport counts them: body bytes sent to MLflow, body bytes sent back.
 */
export function createCustomServerTransport(runtime: GatewayRuntime) {
  const agent = new UpstreamAgent();
  const target = { url: runtime.config.upstreamUrl, agent, timeoutMs: runtime.config.upstreamTimeoutMs };

  const inFlight = runtime.sinks.metrics.inFlight.gateway;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    inFlight.inc();
    let plan: GatewayPlan;
    try {
      plan = await runtime.planMlflowCall(inboundFromNode(req, runtime.config));
    } catch (error) {
      inFlight.dec();
      throw error;
    }
    const bytes = { in: 0, out: 0 };
    whenClosed(res, () => {
      inFlight.dec();
      recordExchange(plan.exchange, { status: res.writableFinished ? res.statusCode : 499, bytesIn: bytes.in, bytesOut: bytes.out }, runtime.sinks);
    });
    if (plan.kind === 'answer') {
      bytes.out = Buffer.byteLength(plan.answer.body);
      return writeAnswer(res, plan.answer, req.method);
    }
    await forward(req, res, { call: plan.call, exchange: plan.exchange, bytes });
  }

  async function forward(
    req: IncomingMessage,
    res: ServerResponse,
    { call, exchange, bytes }: { call: UpstreamCall; exchange: Exchange; bytes: { in: number; out: number } },
  ): Promise<void> {
    // The client went away while the call was being decided: nothing goes to MLflow for it.
    if (res.closed) return;
    exchange.upstreamStarted = performance.now();
    const sent = sendUpstream(call, target, call.body.kind === 'stream' ? req : undefined);
    // Only once sendUpstream has piped it: a 'data' listener on its own would start the body flowing.
    if (call.body.kind === 'stream') req.on('data', (chunk: Buffer) => (bytes.in += chunk.length));
    else if (call.body.kind === 'buffered') bytes.in = call.body.bytes.length;
    // The client went away: nothing more goes to MLflow for it.
    res.once('close', () => {
      if (!res.writableFinished) sent.request.destroy();
    });
    let upstream: IncomingMessage;
    try {
      upstream = await sent.response;
    } catch (failure) {
      const answer = upstreamFailureAnswer(failure, runtime.config, req.headers.accept, call.setCookies);
      bytes.out = Buffer.byteLength(answer.body);
      return writeAnswer(res, { ...answer, close: !req.complete }, req.method);
    }
    exchange.upstreamMs = performance.now() - exchange.upstreamStarted;
    const headers = clientResponseHeaders(upstream.headers, runtime.config.upstreamUrl, call.setCookies);
    // MLflow answered before the client finished sending: the rest of that body is not read.
    if (!req.complete) headers.connection = 'close';
    res.writeHead(upstream.statusCode ?? 502, headers);
    upstream.pipe(res);
    upstream.on('data', (chunk: Buffer) => (bytes.out += chunk.length));
    upstream.once('error', () => res.destroy());
    upstream.once('aborted', () => res.destroy());
  }

  return { handle, close: () => agent.destroy() };
}

/**
 * Runs `then` once the response is closed: at once when the client went away before the plan
 * was ready ('close' has fired by then and would never fire again), else on 'close'.
 */
export function whenClosed(res: ServerResponse, then: () => void): void {
  if (res.closed) then();
  else res.once('close', then);
}
