import { isIP } from 'node:net';
import type { TrustedProxies } from '@/lib/config';

/**
 * The client address behind zero or more trusted proxies. Each proxy appends the address it saw
 * to X-Forwarded-For, so the list is read from the right: the first entry that is not a trusted
 * proxy is the client. Entries left of it were written by the client and are never believed.
 * `peer` is the socket's address when known; when it is not a trusted proxy, it is the client.
 */
export function clientIpBehind(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: TrustedProxies): string | undefined {
  if (peer !== undefined && !trusted.has(peer)) return peer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = hops[i];
    if (isIP(hop) === 0) return peer;
    if (!trusted.has(hop)) return hop;
  }
  return hops[0] ?? peer;
}
