import { getConfig } from '@/lib/config';
import { getAuthDeps } from '@/lib/auth/runtime';
import { createPortalServer } from '@/lib/server/portal-server';

// The portal's server with the gateway but without Next (which /mlflow/* never touches), so a
// benchmark can run it as its own process without a production build.
const config = getConfig();
const server = createPortalServer(config, getAuthDeps(), async (_req, res) => {
  res.writeHead(404);
  res.end();
});
server.listen(config.port, '127.0.0.1', () => process.stdout.write(`ready ${config.port}\n`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
