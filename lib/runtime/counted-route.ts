import { portalRuntime } from '@/lib/runtime/portal-runtime';
import { secondsSince } from '@/lib/observability/metrics';

/**
 * Wraps an /auth/* route handler so that it counts itself (route class `auth`) where nothing
 * else sees it: under `next start` and on Vercel. Under the custom server, portal-server.ts
 * counts every request Next serves, and this adds nothing. A handler that throws counts as 500,
 * which is what Next answers then.
 */
export function countedRoute<Args extends unknown[]>(handler: (...args: Args) => Promise<Response>): (...args: Args) => Promise<Response> {
  return async (...args) => {
    const runtime = portalRuntime();
    if (runtime.customServer) return handler(...args);
    const { metrics } = runtime;
    const started = performance.now();
    let status = 500;
    metrics.inFlight.next.inc();
    try {
      const response = await handler(...args);
      status = response.status;
      return response;
    } finally {
      metrics.inFlight.next.dec();
      metrics.request('auth', status, secondsSince(started));
    }
  };
}
