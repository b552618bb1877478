import { parseConfig } from '@/lib/config';
import { createPortalRuntime } from '@/lib/runtime/portal-runtime';
import { createPortalServer } from '@/lib/server/portal-server';

// The portal's server with the gateway but without Next (which /mlflow/* never touches), so a
// benchmark can run it as its own process without a production build. With PORTAL_METRICS_PORT
// set, the metrics listener is on as under server.ts, and `ready` waits for it.
const runtime = createPortalRuntime(parseConfig(process.env), { customServer: true });
const metricsUrl = await runtime.listenForMetrics();
const server = createPortalServer(runtime, async (_req, res) => {
  res.writeHead(404);
  res.end();
});
server.listen(runtime.config.port, '127.0.0.1', () => process.stdout.write(`ready ${runtime.config.port}${metricsUrl ? ` metrics ${metricsUrl}` : ''}\n`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
