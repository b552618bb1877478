import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { KeyStore } from '@/lib/auth/jwks';

async function publicJwk(kid: string) {
  const { publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
}

describe('KeyStore', () => {
  it('lets callers that arrive during the first fetch wait for it instead of refusing the kid', async () => {
    const jwk = await publicJwk('k1');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let fetches = 0;
    const store = new KeyStore(async () => {
      fetches += 1;
      await gate;
      return { keys: [jwk] };
    }, 30_000);
    const lookups = [store.keyFor('k1'), store.keyFor('k1'), store.keyFor('k1')];
    release();
    const keys = await Promise.all(lookups);
    expect(keys.every((key) => key !== undefined)).toBe(true);
    expect(fetches).toBe(1);
  });

  it('refetches for an unknown kid at most once per interval, and keeps known keys when Descope fails', async () => {
    const jwk = await publicJwk('k1');
    let now = 0;
    let fetches = 0;
    let failing = false;
    const store = new KeyStore(
      async () => {
        fetches += 1;
        if (failing) throw new Error('descope down');
        return { keys: [jwk] };
      },
      30_000,
      () => now,
    );
    expect(await store.keyFor('k1')).toBeDefined();
    expect(await store.keyFor('made-up')).toBeUndefined();
    expect(await store.keyFor('made-up-2')).toBeUndefined();
    expect(fetches).toBe(1);
    now = 30_000;
    failing = true;
    expect(await store.keyFor('made-up-3')).toBeUndefined();
    expect(fetches).toBe(2);
    expect(await store.keyFor('k1')).toBeDefined();
    expect(store.status().lastError).toBe('descope down');
  });
});
