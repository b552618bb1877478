import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { normalizePath, encodePath } from '@/lib/gateway/normalize-path';
import { MLFLOW_PREFIX } from '@/lib/gateway/response-headers';
import { createCustomServerTransport, whenClosed, type GatewayRuntime } from '@/lib/gateway/transports/custom-server';
import { errorAnswer, writeAnswer } from '@/lib/http/answers';
import type { RouteClass } from '@/lib/observability/metrics';

// Bytes a streamed body may queue per request before the other side is paused. Node's 16 KiB
// default is a quarter of one 64 KiB socket read, so every chunk of a large artifact paused and
// resumed its source; 256 KiB lets a few chunks queue. It bounds memory per connection, not in total.
const STREAM_HIGH_WATER_MARK = 256 * 1024;

type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

// Next trusts this header internally; a client must never be able to send it (CVE-2025-29927).
const nextInternalHeaders = ['x-middleware-subrequest', 'x-nextjs-data', 'x-middleware-prefetch', 'x-invoke-path', 'x-invoke-query'];

/**
 * The portal's HTTP server: `/mlflow/*` goes to the streaming gateway, everything else to Next.
 * The path is normalised once, before that choice, and Next is handed the normalised path too:
 * `/auth/health/../mlflow/…` is an MLflow request and is authorised as one, and
 * `/mlflow/..%2fversion` is `/version` for Next as for us, so Next's own /mlflow route handler
 * can never be reached by a spelling the gateway did not see.
 */
export function createPortalServer(runtime: GatewayRuntime & { customServer: boolean }, nextHandler: NextHandler): Server {
  const gateway = createCustomServerTransport(runtime);
  const { metrics } = runtime.sinks;

  const server = createServer({ highWaterMark: STREAM_HIGH_WATER_MARK }, (req, res) => {
    route(req, res).catch((error: unknown) => {
      runtime.sinks.log('error', 'request.failed', { method: req.method, error: error instanceof Error ? error.message : String(error) });
      writeAnswer(res, errorAnswer('internal', 'the portal failed to handle this request', { accept: req.headers.accept, close: true }), req.method);
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const normalized = normalizePath(req.url ?? '/');
    if (normalized.ok && (normalized.path === MLFLOW_PREFIX || normalized.path.startsWith(`${MLFLOW_PREFIX}/`))) return gateway.handle(req, res);
    // /mlflow/* is counted by the gateway transport, the rest here, on the one server that sees
    // every request. A runtime that is not the custom server's (a test harness serving the route
    // handlers itself) leaves /auth/* to the route handlers, which then count themselves.
    if (runtime.customServer) countNextRequest(res, normalized.ok ? routeClassOf(normalized.path) : 'page');
    if (!normalized.ok) {
      return writeAnswer(
        res,
        errorAnswer('bad_request', `malformed request path: ${normalized.reason}`, { accept: req.headers.accept, close: true }),
        req.method,
      );
    }
    for (const name of nextInternalHeaders) delete req.headers[name];
    // Next reads the URL from the request itself; it gets the one spelling the portal decided on.
    req.url = `${encodePath(normalized.path)}${normalized.query}`;
    return nextHandler(req, res);
  }

  function countNextRequest(res: ServerResponse, routeClass: RouteClass): void {
    const started = performance.now();
    metrics.inFlight.next.inc();
    whenClosed(res, () => {
      metrics.inFlight.next.dec();
      metrics.request(routeClass, res.writableFinished ? res.statusCode : 499, (performance.now() - started) / 1000);
    });
  }

  // Multi-GB artifact uploads take longer than Node's 300 s default; headers still must be quick.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 65_000;
  server.on('close', () => gateway.close());
  return server;
}

/** The metrics' route class of a (normalised) path Next serves: /auth/*, Next's own assets, or a page. */
function routeClassOf(path: string): RouteClass {
  if (path === '/auth' || path.startsWith('/auth/')) return 'auth';
  if (path.startsWith('/_next/') || path === '/favicon.ico') return 'next-static';
  return 'page';
}
