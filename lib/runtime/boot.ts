import { ConfigError, parseConfig } from '@/lib/config';
import { createPortalRuntime, installPortalRuntime, installedPortalRuntime, type PortalRuntime } from '@/lib/runtime/portal-runtime';

/**
 * Start-up for every server that can run the portal: server.ts (the custom server) and
 * instrumentation.ts (`next start`, Vercel functions). Bad configuration stops the process with one
 * line naming the variable, before the first request, instead of failing every request later.
 * A runtime already installed (the custom server's, a test harness's) is kept.
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
    return installPortalRuntime(createPortalRuntime(config, options));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Configuration error: ${error.message}`);
    process.exit(1);
  }
}
