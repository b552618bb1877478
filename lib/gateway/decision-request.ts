import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Config } from '@/lib/config';
import type { DecisionRequest } from '@/lib/auth/decide';

/** Cookies are Secure when the portal is reached over https (its public URL, TLS, or a TLS proxy). */
export function isSecure(config: Pick<Config, 'publicUrl'>, tls: boolean, forwardedProto: string | undefined): boolean {
  if (config.publicUrl) return config.publicUrl.protocol === 'https:';
  return tls || forwardedProto?.split(',')[0].trim() === 'https';
}

export function decisionRequestFromNode(req: IncomingMessage, config: Pick<Config, 'publicUrl'>): DecisionRequest {
  const forwardedProto = req.headers['x-forwarded-proto'];
  return {
    method: req.method ?? 'GET',
    pathWithQuery: req.url ?? '/',
    header: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    secure: isSecure(config, Boolean((req.socket as TLSSocket).encrypted), Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto),
  };
}
