import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Identity } from '@/lib/auth/identity';

// RFC 9110 hop-by-hop headers, plus `expect` (Node answers 100-continue itself) and
// `content-length`'s companion `transfer-encoding` (Node re-frames the body).
const hopByHop = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect'];

// Credentials that are ours, not MLflow's; and headers some servers read as the request method.
const portalOnly = ['authorization', 'cookie', 'origin', 'x-http-method-override', 'x-http-method', 'x-method-override'];

// Identity claims a client could forge. Matched after folding `_` to `-`: WSGI servers read
// `X_Forwarded_User` as `X-Forwarded-User` (CVE-2025-64484), so both spellings are removed.
const identityPrefixes = ['x-descope-', 'x-forwarded-', 'x-auth-request-', 'x-remote-', 'x-original-', 'x-real-ip', 'x-user', 'x-email', 'remote-user', 'forwarded', 'x-client-ip'];

function isStripped(name: string, connectionListed: Set<string>): boolean {
  const folded = name.toLowerCase().replace(/_/g, '-');
  return (
    hopByHop.includes(folded) ||
    connectionListed.has(folded) ||
    portalOnly.includes(folded) ||
    identityPrefixes.some((prefix) => folded.startsWith(prefix))
  );
}

/** Header values must be visible ASCII; anything else (a name like "José") is percent-encoded. */
export function headerSafe(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}

export interface UpstreamHeaderContext {
  identity: Identity;
  upstreamHost: string;
  clientIp: string;
  proto: 'http' | 'https';
  requestId: string;
}

/** Strip, then inject: nothing the client sent about identity survives; ours is added after. */
export function upstreamHeaders(incoming: IncomingHttpHeaders, context: UpstreamHeaderContext): OutgoingHttpHeaders {
  const connectionListed = new Set(
    String(incoming.connection ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value !== undefined && !isStripped(name, connectionListed)) headers[name] = value;
  }
  const { identity } = context;
  Object.assign(headers, {
    host: context.upstreamHost,
    'x-descope-user-id': headerSafe(identity.userId),
    'x-descope-username': headerSafe(identity.username),
    'x-descope-email': headerSafe(identity.email),
    'x-descope-roles': headerSafe(identity.roles.join(',')),
    'x-descope-permissions': headerSafe(identity.permissions.join(',')),
    'x-descope-tenants': headerSafe(identity.tenants.join(',')),
    'x-forwarded-user': headerSafe(identity.username),
    'x-forwarded-email': headerSafe(identity.email),
    'x-forwarded-for': context.clientIp,
    'x-forwarded-proto': context.proto,
    'x-request-id': context.requestId,
  });
  return headers;
}
