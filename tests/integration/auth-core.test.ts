import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import DescopeClient from '@descope/node-sdk';
import { startEmulator } from '@/tools/descope-emulator/server';
import { parseConfig } from '@/lib/config';
import { KeyStore } from '@/lib/auth/jwks';
import { JwtVerifier } from '@/lib/auth/jwt';
import { SessionRefresher } from '@/lib/auth/refresh-session';
import { AccessKeyExchanger } from '@/lib/auth/access-keys';
import { authenticate, type AuthDeps } from '@/lib/auth/authenticate';
import { readCredentials } from '@/lib/auth/credentials';
import { CircuitBreaker } from '@/lib/resilience/circuit-breaker';
import { createResilientFetch } from '@/lib/descope/resilient-fetch';

const PROJECT_ID = 'P2authcore000000000000000000';
const MANAGEMENT_KEY = 'core-management-key';
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let deps: AuthDeps;
let breaker: CircuitBreaker;

const knob = (path: string, body: unknown) =>
  fetch(`${emulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const session = async (loginId: string) => (await (await knob('/emulator/session', { loginId })).json()) as { sessionJwt: string; refreshJwt: string };
const requestCounts = async () => (await (await fetch(`${emulator.url}/emulator/requests`)).json()) as Record<string, number>;
const count = (counts: Record<string, number>, path: string) => counts[path] ?? (counts as { counts?: Record<string, number> }).counts?.[path] ?? 0;

beforeAll(async () => {
  emulator = await startEmulator({ projectId: PROJECT_ID, managementKey: MANAGEMENT_KEY, port: 0 });
  breaker = new CircuitBreaker(3, 60_000);
  const fetchWithBreaker = createResilientFetch({ timeoutMs: 500, retries: 1, breaker });
  const sdk = DescopeClient({ projectId: PROJECT_ID, baseUrl: emulator.url, managementKey: MANAGEMENT_KEY, fetch: fetchWithBreaker });
  const keyStore = new KeyStore(async () => (await fetchWithBreaker(`${emulator.url}/v2/keys/${PROJECT_ID}`)).json());
  const verifier = new JwtVerifier(keyStore, PROJECT_ID);
  deps = {
    config: parseConfig({ DESCOPE_PROJECT_ID: PROJECT_ID }),
    verifier,
    refresher: new SessionRefresher(verifier, (token) => sdk.refresh(token)),
    accessKeys: new AccessKeyExchanger(verifier, {
      exchange: (key) => sdk.accessKey.exchange(key),
      loadKey: (id) => sdk.management.accessKey.load(id),
      loadUser: (id) => sdk.management.user.loadByUserId(id),
    }),
  };
});
afterAll(() => emulator?.close());

describe('the auth core against the emulator', () => {
  it('validates emulator session tokens and rejects their refresh tokens as sessions', async () => {
    const { sessionJwt, refreshJwt } = await session('editor@example.com');
    const ok = await authenticate(readCredentials(`Bearer ${sessionJwt}`, undefined), deps);
    expect(ok.ok && ok.identity.mlflowPermission).toBe('EDIT');
    const refreshAsSession = await authenticate(readCredentials(`Bearer ${refreshJwt}`, undefined), deps);
    expect(refreshAsSession.ok).toBe(false);
  });

  it('refreshes twenty concurrent expired-session requests with one Descope call', async () => {
    const { refreshJwt } = await session('reader@example.com');
    await knob('/emulator/requests/reset', {});
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => authenticate(readCredentials(undefined, `DSR=${refreshJwt}`), deps)));
    expect(outcomes.every((outcome) => outcome.ok && outcome.refreshed)).toBe(true);
    expect(count(await requestCounts(), '/v1/auth/refresh')).toBe(1);
  });

  it("exchanges an access key once for many requests, acting with the owner's current roles", async () => {
    const sdk = DescopeClient({ projectId: PROJECT_ID, baseUrl: emulator.url, managementKey: MANAGEMENT_KEY });
    const { data: owner } = await sdk.management.user.load('reader@example.com');
    const created = await sdk.management.accessKey.create('job', 0, [], undefined, owner!.userId);
    await knob('/emulator/requests/reset', {});
    const outcomes = await Promise.all(Array.from({ length: 25 }, () => authenticate(readCredentials(`Bearer ${created.data!.cleartext}`, undefined), deps)));
    for (const outcome of outcomes) expect(outcome.ok && [outcome.identity.userId, outcome.identity.mlflowPermission]).toEqual([owner!.userId, 'READ']);
    expect(count(await requestCounts(), '/v1/auth/accesskey/exchange')).toBe(1);
    // A key carrying a role its owner lacks grants nothing more: it is limited to owner roles it names.
    const beyond = (await sdk.management.accessKey.create('beyond', 0, ['mlflow-editor'], undefined, owner!.userId)).data!.cleartext;
    expect(await authenticate(readCredentials(`Bearer ${beyond}`, undefined), deps)).toMatchObject({
      ok: false,
      code: 'unauthenticated',
      message: expect.stringContaining('limited to roles its owner no longer has (mlflow-editor)'),
    });
  });

  it("forgets a user's memoised refreshes and key exchanges when an admin changes their roles", async () => {
    const sdk = DescopeClient({ projectId: PROJECT_ID, baseUrl: emulator.url, managementKey: MANAGEMENT_KEY });
    const { data: owner } = await sdk.management.user.load('tenant@example.com');
    const { refreshJwt } = await session('tenant@example.com');
    const key = (await sdk.management.accessKey.create('roles', 0, [], undefined, owner!.userId)).data!.cleartext;
    const permissions = async () =>
      Promise.all(
        [readCredentials(undefined, `DSR=${refreshJwt}`), readCredentials(`Bearer ${key}`, undefined)].map(async (credentials) => {
          const outcome = await authenticate(credentials, deps);
          return outcome.ok ? outcome.identity.mlflowPermission : outcome.code;
        }),
      );
    // Its only role is in a tenant this portal does not serve: the default permission, READ.
    expect(await permissions()).toEqual(['READ', 'READ']);
    await sdk.management.user.addRoles('tenant@example.com', ['mlflow-editor']);
    // Still memoised: a burst of requests must not cost a Descope call each.
    expect(await permissions()).toEqual(['READ', 'READ']);
    deps.refresher.forgetUser(owner!.userId);
    deps.accessKeys.forgetOwner(owner!.userId);
    expect(await permissions()).toEqual(['EDIT', 'EDIT']);
    await sdk.management.user.removeRoles('tenant@example.com', ['mlflow-editor']);
  });

  it('keeps validating signed-in users through a Descope outage, and fails fast once the breaker opens', async () => {
    const refreshTokens = await Promise.all([1, 2, 3].map(async () => (await session('editor@example.com')).refreshJwt));
    await knob('/emulator/outage', { on: true, mode: 'hang' });
    try {
      // A token never seen before verifies from the cached JWKS while Descope hangs.
      const { sessionJwt } = await session('admin@example.com');
      const during = await authenticate(readCredentials(`Bearer ${sessionJwt}`, undefined), deps);
      expect(during.ok && during.identity.isAdmin).toBe(true);
      for (const token of refreshTokens.slice(0, 2)) {
        expect(await authenticate(readCredentials(undefined, `DSR=${token}`), deps)).toMatchObject({ ok: false, code: 'descope_unavailable' });
      }
      expect(breaker.state).toBe('open');
      const started = performance.now();
      expect(await authenticate(readCredentials(undefined, `DSR=${refreshTokens[2]}`), deps)).toMatchObject({ ok: false, code: 'descope_unavailable' });
      expect(performance.now() - started).toBeLessThan(100);
    } finally {
      await knob('/emulator/outage', { on: false });
    }
  });
});
