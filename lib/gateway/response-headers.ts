import type { IncomingHttpHeaders } from 'node:http';

export const MLFLOW_PREFIX = '/mlflow';

/**
 * Adjusts MLflow's response headers for clients of the portal: redirects point back under
 * /mlflow, and MLflow's `WWW-Authenticate: Basic` (from its own auth app) is dropped so browsers
 * never show a native password popup.
 */
export function rewriteResponseHeaders(headers: IncomingHttpHeaders, upstream: URL, setCookies: string[]): void {
  const location = headers.location;
  if (typeof location === 'string') headers.location = portalLocation(location, upstream);
  const challenge = headers['www-authenticate'];
  if (typeof challenge === 'string' && /^basic\b/i.test(challenge.trim())) delete headers['www-authenticate'];
  if (setCookies.length > 0) {
    const existing = headers['set-cookie'] ?? [];
    headers['set-cookie'] = [...existing, ...setCookies];
  }
}

export function portalLocation(location: string, upstream: URL): string {
  let url: URL;
  try {
    url = new URL(location, upstream);
  } catch {
    return location;
  }
  // Only MLflow's own redirects are rebased; a redirect elsewhere (e.g. presigned storage) stays.
  if (url.origin !== upstream.origin) return location;
  const base = upstream.pathname.replace(/\/$/, '');
  const path = base && url.pathname.startsWith(base) ? url.pathname.slice(base.length) || '/' : url.pathname;
  return `${MLFLOW_PREFIX}${path}${url.search}${url.hash}`;
}
