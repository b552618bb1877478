import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Config } from '@/lib/config';
import type { DecisionRequest } from '@/lib/auth/decide';
import { clientIpBehind } from '@/lib/http/client-ip';

/**
 * The facts about a request that decisions depend on, built here and nowhere else, from each
 * shape a request arrives in: a Node request (the custom server), a fetch Request (proxy.ts,
 * route handlers), or the header store of a page or server action.
 */

type SecureConfig = Pick<Config, 'publicUrl'>;

/** Cookies are Secure when the portal is reached over https (its public URL, TLS, or a TLS proxy). */
export function isSecure(config: SecureConfig, tls: boolean, forwardedProto: string | null | undefined): boolean {
  if (config.publicUrl) return config.publicUrl.protocol === 'https:';
  return tls || forwardedProto?.split(',')[0]?.trim() === 'https';
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

// A factory, not a closure written inline: under tsx, esbuild's keepNames defines a `name` on
// every named closure each time one is made, which per request cost more than reading the header.
const headerReader = (headers: IncomingMessage['headers']) => (name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

export function decisionRequestFromNode(req: IncomingMessage, config: SecureConfig, pathWithQuery = req.url ?? '/'): DecisionRequest {
  return {
    method: req.method ?? 'GET',
    pathWithQuery,
    header: headerReader(req.headers),
    secure: isSecure(config, Boolean((req.socket as TLSSocket).encrypted), first(req.headers['x-forwarded-proto'])),
  };
}

export function decisionRequestFromFetch(request: Request, config: SecureConfig, pathWithQuery?: string): DecisionRequest {
  const url = new URL(request.url);
  return {
    method: request.method,
    pathWithQuery: pathWithQuery ?? `${url.pathname}${url.search}`,
    header: (name) => request.headers.get(name) ?? undefined,
    secure: isSecure(config, url.protocol === 'https:', request.headers.get('x-forwarded-proto')),
  };
}

/** For pages and server actions, which see only the header store (`headers()` from next/headers). */
export function decisionRequestFromHeaders(headers: Headers, config: SecureConfig, request: { method: string; pathWithQuery: string }): DecisionRequest {
  return {
    method: request.method,
    pathWithQuery: request.pathWithQuery,
    header: (name) => headers.get(name) ?? undefined,
    secure: isSecure(config, false, headers.get('x-forwarded-proto')),
  };
}

/** The client's address under the custom server: the socket's peer, or what a trusted proxy saw. */
export function clientIpFromNode(req: IncomingMessage, config: Pick<Config, 'trustedProxies'>): string | undefined {
  return clientIpBehind(req.socket.remoteAddress, req.headers['x-forwarded-for'], config.trustedProxies);
}

/**
 * The client's address in a route handler, which never sees the socket. On Vercel the platform
 * sets X-Forwarded-For itself; under `next start` Next fills it in only when the client sent none,
 * so it is believed only when the operator says a proxy in front always sets it.
 */
export function clientIpFromFetch(request: Request, config: Pick<Config, 'trustedProxies' | 'vercel'>): string | undefined {
  const forwarded = request.headers.get('x-forwarded-for') ?? undefined;
  if (config.vercel) return forwarded?.split(',')[0]?.trim() || undefined;
  if (config.trustedProxies.entries.length === 0) return undefined;
  return clientIpBehind(undefined, forwarded, config.trustedProxies);
}
