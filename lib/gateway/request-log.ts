import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Identity } from '@/lib/auth/identity';
import type { Permission } from '@/lib/auth/permission';
import { log } from '@/lib/observability/log';
import { audit } from '@/lib/observability/audit';

export interface Exchange {
  requestId: string;
  method: string;
  /** The normalised portal path; never the query string, which may carry secrets. */
  path: string;
  endpoint: string | null;
  permission: Permission;
  started: number;
  identity?: Identity;
  /** Set when the upstream call starts and when its response headers arrive. */
  upstreamStarted?: number;
  upstreamMs?: number;
}

/** One log line per request when the response ends, and an audit entry for every mutating call. */
export function recordExchange(req: IncomingMessage, res: ServerResponse, exchange: Exchange): void {
  // Socket counters, not 'data' listeners: listening would pull the body out from under the proxy.
  const readAtStart = req.socket.bytesRead;
  const writtenAtStart = req.socket.bytesWritten;
  res.once('close', () => {
    const status = res.writableFinished ? res.statusCode : 499;
    const user = exchange.identity?.userId ?? null;
    if (exchange.endpoint === null) log('warn', 'mlflow.unmapped_endpoint', { method: exchange.method, path: exchange.path });
    log('info', 'request', {
      requestId: exchange.requestId,
      user,
      method: exchange.method,
      path: exchange.path,
      endpoint: exchange.endpoint ?? 'unmapped',
      status,
      latencyMs: round(performance.now() - exchange.started),
      upstreamMs: exchange.upstreamMs === undefined ? null : round(exchange.upstreamMs),
      bytesIn: req.socket.bytesRead - readAtStart,
      bytesOut: req.socket.bytesWritten - writtenAtStart,
    });
    if ((exchange.permission === 'EDIT' || exchange.permission === 'MANAGE') && exchange.identity) {
      audit({
        actorId: exchange.identity.userId,
        actor: exchange.identity.username,
        action: `mlflow.${exchange.endpoint ?? 'unmapped'}`,
        target: exchange.path,
        result: status < 400 ? 'success' : status === 403 ? 'denied' : 'failure',
        status,
      });
    }
  });
}

const round = (ms: number) => Math.round(ms * 10) / 10;
