import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { clientIpBehind } from '@/lib/http/client-ip';

const trusted = (list: string) => parseConfig({ DESCOPE_PROJECT_ID: 'P2clientip', PORTAL_TRUSTED_PROXIES: list }).trustedProxies;
const none = parseConfig({ DESCOPE_PROJECT_ID: 'P2clientip' }).trustedProxies;

describe('clientIpBehind', () => {
  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For claims', () => {
    expect(clientIpBehind('203.0.113.9', '6.6.6.6', none)).toBe('203.0.113.9');
    expect(clientIpBehind('::ffff:127.0.0.1', '6.6.6.6, 7.7.7.7', none)).toBe('::ffff:127.0.0.1');
  });

  it('reads X-Forwarded-For from the right, past trusted proxies only', () => {
    const proxies = trusted('10.0.0.0/8, 127.0.0.1');
    expect(clientIpBehind('10.1.2.3', '6.6.6.6, 198.51.100.7', proxies)).toBe('198.51.100.7');
    expect(clientIpBehind('::ffff:127.0.0.1', '6.6.6.6, 198.51.100.7, 10.0.0.5', proxies)).toBe('198.51.100.7');
    expect(clientIpBehind('10.1.2.3', 'not-an-ip', proxies)).toBe('10.1.2.3');
    expect(clientIpBehind('10.1.2.3', undefined, proxies)).toBe('10.1.2.3');
  });

  it('refuses a malformed trusted-proxy list at start', () => {
    expect(() => trusted('10.0.0.0/33')).toThrow(/PORTAL_TRUSTED_PROXIES is invalid/);
    expect(() => trusted('proxy.internal')).toThrow(/PORTAL_TRUSTED_PROXIES is invalid/);
  });
});
