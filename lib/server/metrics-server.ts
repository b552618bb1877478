import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface MetricsListener {
  url: string;
  close(): void;
}

/**
 * The metrics listener (PORTAL_METRICS_PORT): `GET /metrics` in Prometheus' text format and
 * nothing else, on its own port and interface (127.0.0.1 unless PORTAL_METRICS_HOST says
 * otherwise), so the numbers are never served on the portal's public port by accident, and the
 * same listener serves under the custom server and under `next start`.
 */
export function startMetricsListener(registry: Registry, { port, host }: { port: number; host: string }): Promise<MetricsListener> {
  const server = createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('not found: the metrics are at /metrics\n');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('use GET /metrics\n');
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      () => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('the metrics could not be collected\n');
      },
    );
  });
  // A scrape is one short request; idle keep-alive connections must not hold close() up.
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const { address, port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://${address.includes(':') ? `[${address}]` : address}:${bound}/metrics`,
        close() {
          server.close();
          server.closeAllConnections();
        },
      });
    });
  });
}
