import type { Decision } from '@/lib/auth/decide';
import type { PortalMetrics } from '@/lib/observability/metrics';

/**
 * Counts one auth decision under its bounded outcome and reason. A `forbidden` denial without an
 * identity is the cross-site check (it runs before authentication); with one, the caller was
 * known and lacked the permission, the admin flag or an interactive session.
 */
export function recordDecision(metrics: Pick<PortalMetrics, 'decision'>, decision: Decision): void {
  if (decision.type === 'allow') return metrics.decision('allow', decision.refreshed ? 'refreshed' : 'valid');
  if (decision.type === 'redirect') return metrics.decision('redirect', 'unauthenticated');
  if (decision.code === 'unauthenticated') return metrics.decision('deny', 'unauthenticated');
  if (decision.code === 'descope_unavailable') return metrics.decision('deny', 'descope-unavailable');
  metrics.decision('deny', decision.identity ? 'permission' : 'cross-site');
}
