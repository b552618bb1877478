import next from 'next';
import { bootPortalRuntime } from '@/lib/runtime/boot';
import { createPortalServer } from '@/lib/server/portal-server';
import { loadBuiltNextConfig } from '@/lib/server/built-next-config';

// `npm start` (production), `npm run dev` (--dev) and `node .next/standalone/server.js` (this file,
// bundled by scripts/build-standalone.ts): the custom server. It builds the process's one runtime
// before Next loads, so every page, action and handler shares its caches, breaker and sinks.
async function main(): Promise<void> {
  const dev = process.argv.includes('--dev');
  const runtime = bootPortalRuntime({ customServer: true });
  const { config } = runtime;
  // The directory holding .next: the repo root under tsx, the standalone tree once bundled.
  const dir = import.meta.dirname;
  let conf;
  if (!dev) {
    try {
      conf = loadBuiltNextConfig(dir);
    } catch (error) {
      console.error(`Start-up error: ${(error as Error).message}`);
      process.exit(1);
    }
  }
  const app = next({ dev, hostname: config.hostname, port: config.port, dir, conf });
  await app.prepare();
  const server = createPortalServer(runtime, app.getRequestHandler());
  server.listen(config.port, config.hostname, () => {
    runtime.log('info', 'portal.listening', { url: `http://${config.hostname}:${config.port}`, upstream: config.upstreamUrl.origin, dev });
  });
  const shutdown = () => server.close(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

void main();
