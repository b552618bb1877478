import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Config } from '@/lib/config';
import type { AuthDeps } from '@/lib/auth/authenticate';
import { normalizePath } from '@/lib/gateway/normalize-path';
import { createMlflowGateway } from '@/lib/gateway/mlflow-gateway';
import { respondError } from '@/lib/gateway/respond';
import { MLFLOW_PREFIX } from '@/lib/gateway/response-headers';
import { log } from '@/lib/observability/log';

// Bytes a streamed body may queue per request before the other side is paused. Node's 16 KiB
// default is a quarter of one 64 KiB socket read, so every chunk of a large artifact paused and
// resumed its source; 256 KiB lets a few chunks queue. It bounds memory per connection, not in total.
const STREAM_HIGH_WATER_MARK = 256 * 1024;

type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

// Next trusts this header internally; a client must never be able to send it (CVE-2025-29927).
const nextInternalHeaders = ['x-middleware-subrequest', 'x-nextjs-data', 'x-middleware-prefetch', 'x-invoke-path', 'x-invoke-query'];

/**
 * The portal's HTTP server: `/mlflow/*` goes to the streaming gateway, everything else to Next.
 * Paths are normalised before that choice, so `/auth/health/../mlflow/…` is an MLflow request and
 * is authorised as one.
 */
export function createPortalServer(config: Config, authDeps: AuthDeps, nextHandler: NextHandler): Server {
  const gateway = createMlflowGateway(config, authDeps);

  const server = createServer({ highWaterMark: STREAM_HIGH_WATER_MARK }, (req, res) => {
    route(req, res).catch((error: unknown) => {
      log('error', 'request.failed', { method: req.method, error: error instanceof Error ? error.message : String(error) });
      respondError(req, res, 'internal', 'the portal failed to handle this request');
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const normalized = normalizePath(req.url ?? '/');
    if (!normalized.ok) return respondError(req, res, 'bad_request', `malformed request path: ${normalized.reason}`);
    const { path, query } = normalized;
    if (path === MLFLOW_PREFIX) {
      res.writeHead(308, { location: `${MLFLOW_PREFIX}/${query}`, 'content-length': '0' });
      res.end();
      return;
    }
    if (path.startsWith(`${MLFLOW_PREFIX}/`)) return gateway.handle(req, res, path.slice(MLFLOW_PREFIX.length), query);
    for (const name of nextInternalHeaders) delete req.headers[name];
    return nextHandler(req, res);
  }

  // Multi-GB artifact uploads take longer than Node's 300 s default; headers still must be quick.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 65_000;
  server.on('close', () => gateway.close());
  return server;
}
