import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import httpProxy from 'http-proxy';
import type { Config } from '@/lib/config';
import type { AuthDeps } from '@/lib/auth/authenticate';
import { decide } from '@/lib/auth/decide';
import type { Identity } from '@/lib/auth/identity';
import { permissionFor } from '@/lib/mlflow/permissions';
import { decisionRequestFromNode } from '@/lib/gateway/decision-request';
import { upstreamHeaders } from '@/lib/gateway/upstream-headers';
import { encodePath } from '@/lib/gateway/normalize-path';
import { redirect, respondError } from '@/lib/gateway/respond';
import { rewriteResponseHeaders } from '@/lib/gateway/response-headers';
import { inspectRunBody, inspectsBody, MAX_INSPECTED_BODY } from '@/lib/gateway/run-body';
import { BodyTooLargeError, readSmallBody } from '@/lib/gateway/read-body';
import { recordExchange, type Exchange } from '@/lib/gateway/request-log';

interface InFlight {
  setCookies: string[];
  timedOut: boolean;
  exchange: Exchange;
}

/**
 * Streams /mlflow/* to the upstream MLflow through http-proxy on a keep-alive agent: bodies are
 * piped, never buffered (except the small JSON bodies run tagging must read). Every request is
 * decided by the same auth core as the portal's pages before a byte reaches MLflow.
 */
export function createMlflowGateway(config: Config, authDeps: AuthDeps) {
  const agent = new Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' });
  const proxy = httpProxy.createProxyServer({ target: config.upstreamUrl.href, agent, xfwd: false, changeOrigin: false });
  const inFlight = new WeakMap<IncomingMessage, InFlight>();

  proxy.on('proxyReq', (proxyReq, req) => {
    const state = inFlight.get(req);
    if (state) state.exchange.upstreamStarted = performance.now();
    proxyReq.setTimeout(config.upstreamTimeoutMs, () => {
      const state = inFlight.get(req);
      if (state) state.timedOut = true;
      proxyReq.destroy(new Error('upstream timeout'));
    });
  });
  proxy.on('proxyRes', (proxyRes, req) => {
    const state = inFlight.get(req);
    if (state?.exchange.upstreamStarted !== undefined) state.exchange.upstreamMs = performance.now() - state.exchange.upstreamStarted;
    rewriteResponseHeaders(proxyRes.headers, config.upstreamUrl, state?.setCookies ?? []);
  });
  proxy.on('error', (_error, req, res) => {
    if (!('writeHead' in res)) return;
    if (inFlight.get(req)?.timedOut) {
      respondError(req, res, 'upstream_timeout', `MLflow did not answer within ${config.upstreamTimeoutMs} ms`);
    } else {
      respondError(req, res, 'upstream_unavailable', 'the MLflow server could not be reached; try again shortly');
    }
  });

  async function handle(req: IncomingMessage, res: ServerResponse, upstreamPath: string, query: string): Promise<void> {
    const method = req.method ?? 'GET';
    const requestId = randomUUID();
    const { permission, endpoint } = permissionFor(method, upstreamPath);
    const exchange: Exchange = { requestId, method, path: `/mlflow${upstreamPath}`, endpoint, permission, started: performance.now() };
    recordExchange(req, res, exchange);

    const decisionRequest = decisionRequestFromNode(req, config);
    const decision = await decide(decisionRequest, { permission }, authDeps);
    if (decision.type === 'redirect') return redirect(res, decision.location, decision.setCookies);
    if (decision.type === 'deny') return respondError(req, res, decision.code, decision.message, decision.setCookies);
    exchange.identity = decision.identity;

    let body: Buffer | undefined;
    if (endpoint && inspectsBody(endpoint)) {
      let raw: Buffer;
      try {
        raw = await readSmallBody(req, MAX_INSPECTED_BODY);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        return respondError(req, res, 'payload_too_large', `${endpoint} bodies are limited to ${MAX_INSPECTED_BODY} bytes`, decision.setCookies);
      }
      const inspected = inspectRunBody(raw, endpoint, decision.identity);
      if (!inspected.ok) return respondError(req, res, inspected.code, inspected.message, decision.setCookies);
      body = inspected.body;
    }
    forward(req, res, upstreamPath, query, decision.identity, decision.setCookies, exchange, body, decisionRequest.secure);
  }

  function forward(req: IncomingMessage, res: ServerResponse, path: string, query: string, identity: Identity, setCookies: string[], exchange: Exchange, body: Buffer | undefined, secure: boolean): void {
    inFlight.set(req, { setCookies, timedOut: false, exchange });
    const requestId = exchange.requestId;
    const headers = upstreamHeaders(req.headers, {
      identity,
      upstreamHost: config.upstreamUrl.host,
      clientIp: req.socket.remoteAddress ?? '',
      proto: secure ? 'https' : 'http',
      requestId,
    });
    if (body) {
      headers['content-length'] = String(body.length);
      headers['content-type'] = 'application/json';
    }
    req.headers = headers as IncomingMessage['headers'];
    req.url = `${encodePath(path)}${query}`;
    proxy.web(req, res, body ? { buffer: Readable.from([body]) } : {});
  }

  return { handle, close: () => { proxy.close(); agent.destroy(); } };
}
