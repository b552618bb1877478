import { ConfigError, parseConfig } from '@/lib/config';
import { createPortalRuntime, installPortalRuntime, installedPortalRuntime, type PortalRuntime } from '@/lib/runtime/portal-runtime';

/**
 * Start-up for every server that can run the portal: server.ts (the custom server) and
 * instrumentation.ts (`next start`, Vercel functions). Bad configuration stops the process with one
 * line naming the variable, before the first request, instead of failing every request later.
 * A runtime already installed (the custom server's, a test harness's) is kept. With
 * PORTAL_METRICS_PORT set, the runtime's metrics listener starts here, on either server.
 */
export function bootPortalRuntime(options: { customServer: boolean }): PortalRuntime {
  const installed = installedPortalRuntime();
  if (installed) return installed;
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  try {
    const config = parseConfig(process.env);
    if (config.emulatorMode) {
      console.warn(`WARNING: DESCOPE_BASE_URL=${config.descopeBaseUrl} is the local Descope emulator. Never use it in production.`);
    }
    const runtime = installPortalRuntime(createPortalRuntime(config, options));
    // A metrics port that cannot be bound is reported, not fatal: the gateway is the portal's job.
    runtime.listenForMetrics().catch((error: unknown) => {
      runtime.log('error', 'metrics.listen_failed', {
        host: config.metrics?.host,
        port: config.metrics?.port,
        error: error instanceof Error ? error.message : String(error),
      });
    });
    return runtime;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Configuration error: ${error.message}`);
    process.exit(1);
  }
}
