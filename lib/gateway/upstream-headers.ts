import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Identity } from '@/lib/auth/identity';
import { WORKSPACE_HEADER } from '@/lib/auth/workspace-access';

// RFC 9110 hop-by-hop headers, `expect` (Node answers 100-continue itself), and the client's body
// framing: the portal frames every forwarded body itself (upstreamFraming below), so neither the
// client's Content-Length nor its Transfer-Encoding ever reaches MLflow, whatever `Connection` says.
const hopByHop = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'content-length',
  'upgrade',
  'http2-settings',
  'expect',
];

// Credentials that are ours, not MLflow's; credentials MLflow's auth app honours before asking our
// plugin (its Assistant's delegation token, its AI gateway's internal token); and headers some
// servers read as the request method.
const portalOnly = [
  'authorization',
  'cookie',
  'origin',
  'host',
  'x-mlflow-assistant-delegation',
  'x-mlflow-authorization',
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
];

// Identity claims a client could forge. Matched after folding `_` to `-`: WSGI servers read
// `X_Forwarded_User` as `X-Forwarded-User` (CVE-2025-64484), so both spellings are removed.
const identityPrefixes = [
  'x-descope-',
  'x-forwarded-',
  'x-auth-request-',
  'x-remote-',
  'x-original-',
  'x-real-ip',
  'x-user',
  'x-email',
  'remote-user',
  'forwarded',
  'x-client-ip',
];

const strippedNames = new Set([...hopByHop, ...portalOnly]);

function isStripped(folded: string, connectionListed: readonly string[], workspaced: boolean): boolean {
  if (strippedNames.has(folded) || connectionListed.includes(folded)) return true;
  if (workspaced && folded === WORKSPACE_HEADER) return true;
  for (const prefix of identityPrefixes) if (folded.startsWith(prefix)) return true;
  return false;
}

const KEEP_ALIVE = Object.freeze(['keep-alive']);
const CLOSE = Object.freeze(['close']);

/** The header names `Connection` lists, folded like header names: they are hop-by-hop too. */
function connectionTokens(connection: string | string[] | undefined): readonly string[] {
  if (connection === undefined) return [];
  // The two values nearly every client sends: the tokens the split below would give, without it.
  if (connection === 'keep-alive') return KEEP_ALIVE;
  if (connection === 'close') return CLOSE;
  return String(connection)
    .split(',')
    .map((token) => token.trim().toLowerCase().replace(/_/g, '-'))
    .filter(Boolean);
}

/** Header values must be visible ASCII; anything else (a name like "José") is percent-encoded. */
export function headerSafe(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}

/** The body as the portal forwards it: no body, a length it states, or chunks it writes. */
export type UpstreamBody = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' };

export interface UpstreamHeaderContext {
  method: string;
  identity: Identity;
  upstreamHost: string;
  clientIp: string | undefined;
  proto: 'http' | 'https';
  requestId: string;
  body: UpstreamBody;
  /**
   * The workspace the portal decided (PORTAL_WORKSPACES=tenants): every spelling of the client's
   * X-MLFLOW-WORKSPACE is removed and this one sent. Undefined: the client's passes through.
   */
  workspace?: string;
}

// Methods that carry a body by definition: an empty one is stated as such.
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The framing the portal writes: exactly one of Content-Length or chunked, or none for no body. */
export function upstreamFraming(method: string, body: UpstreamBody): OutgoingHttpHeaders {
  if (body.kind === 'length') return { 'content-length': String(body.length) };
  if (body.kind === 'chunked') return { 'transfer-encoding': 'chunked' };
  return BODY_METHODS.has(method) ? { 'content-length': '0' } : {};
}

// The injected identity headers of an identity the verifier's caches share (frozen, so they
// cannot go stale): a repeat caller's requests skip re-encoding the same eight values.
const identityHeadersOf = new WeakMap<Identity, Readonly<Record<string, string>>>();

function identityHeaders(identity: Identity): Readonly<Record<string, string>> {
  const known = identityHeadersOf.get(identity);
  if (known) return known;
  const headers = {
    'x-descope-user-id': headerSafe(identity.userId),
    'x-descope-username': headerSafe(identity.username),
    'x-descope-email': headerSafe(identity.email),
    'x-descope-roles': headerSafe(identity.roles.join(',')),
    'x-descope-permissions': headerSafe(identity.permissions.join(',')),
    'x-descope-tenants': headerSafe(identity.tenants.join(',')),
    'x-forwarded-user': headerSafe(identity.username),
    'x-forwarded-email': headerSafe(identity.email),
  };
  if (Object.isFrozen(identity)) identityHeadersOf.set(identity, headers);
  return headers;
}

/** Strip, then inject: nothing the client sent about identity or framing survives; ours is added after. */
export function upstreamHeaders(incoming: IncomingHttpHeaders, context: UpstreamHeaderContext): OutgoingHttpHeaders {
  const connectionListed = connectionTokens(incoming.connection);
  const headers: OutgoingHttpHeaders = {};
  for (const name of Object.keys(incoming)) {
    const value = incoming[name];
    const lower = name.toLowerCase();
    if (value !== undefined && !isStripped(lower.includes('_') ? lower.replace(/_/g, '-') : lower, connectionListed, context.workspace !== undefined))
      headers[name] = value;
  }
  headers.host = context.upstreamHost;
  Object.assign(headers, identityHeaders(context.identity));
  headers['x-forwarded-proto'] = context.proto;
  headers['x-request-id'] = context.requestId;
  if (context.clientIp) headers['x-forwarded-for'] = context.clientIp;
  if (context.workspace !== undefined) headers[WORKSPACE_HEADER] = context.workspace;
  return Object.assign(headers, upstreamFraming(context.method, context.body));
}
