import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

export const MLFLOW_PREFIX = '/mlflow';

// Hop-by-hop headers (the portal frames its own answer), and headers that describe MLflow's server
// rather than the answer: `server` names it, `date` the portal's own server sets once.
const dropped = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'transfer-encoding',
  'trailer',
  'upgrade',
  'server',
  'date',
  'x-powered-by',
]);

/**
 * MLflow's response headers as the portal's client gets them: redirects point back under
 * /mlflow, MLflow's `WWW-Authenticate: Basic` (from its own auth app) is dropped so browsers never
 * show a native password popup, and the cookies of a refreshed session are appended.
 */
export function clientResponseHeaders(upstream: IncomingHttpHeaders, upstreamUrl: URL, setCookies: readonly string[]): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value !== undefined && !dropped.has(name)) headers[name] = value;
  }
  if (typeof headers.location === 'string') headers.location = portalLocation(headers.location, upstreamUrl);
  const challenge = headers['www-authenticate'];
  if (typeof challenge === 'string' && /^basic\b/i.test(challenge.trim())) delete headers['www-authenticate'];
  if (setCookies.length > 0) headers['set-cookie'] = [...(upstream['set-cookie'] ?? []), ...setCookies];
  return headers;
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
