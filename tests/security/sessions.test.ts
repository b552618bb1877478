import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortalHarness, type PortalHarness } from '@/tests/support/portal-harness';
import { startRecordingUpstream } from '@/tests/support/recording-upstream';
import { tally } from '@/tests/security/tally';

/**
 * Sessions as a security boundary, over HTTP against either transport: sign-out really ends a
 * session on this instance, only a same-origin POST signs out, tokens for another audience and
 * ambiguous session cookies are refused. The upstream is a recorder: nothing refused reaches it.
 */
let portal: PortalHarness;
let recorder: Awaited<ReturnType<typeof startRecordingUpstream>>;
let base: string;

beforeAll(async () => {
  recorder = await startRecordingUpstream();
  portal = await startPortalHarness({ MLFLOW_UPSTREAM_URL: recorder.url });
  base = portal.url;
});
afterAll(async () => {
  tally.report('sessions');
  await portal?.close();
  await recorder?.close();
});

const search = '/mlflow/api/2.0/mlflow/experiments/search';
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
const sign = async (claims: Record<string, unknown>) => {
  const response = await fetch(`${portal.emulator.url}/emulator/sign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ claims }),
  });
  return ((await response.json()) as { jwt: string }).jwt;
};
const expiredCopy = async (sessionJwt: string) => sign({ ...claimsOf(sessionJwt), exp: Math.floor(Date.now() / 1000) - 60 });

/** An MLflow read with these cookies; returns the status and how many calls reached the upstream. */
async function readWith(cookie: string): Promise<{ status: number; reached: number; setCookies: string[] }> {
  const before = recorder.seen.length;
  const response = await fetch(`${base}${search}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', accept: 'application/json' },
    body: '{}',
  });
  await response.arrayBuffer();
  return { status: response.status, reached: recorder.seen.length - before, setCookies: response.headers.getSetCookie() };
}

const logout = (cookie: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/auth/logout`, { method: 'POST', headers: { cookie, accept: 'application/json', origin: base, ...headers }, redirect: 'manual' });

describe('sign-out ends the session on this instance at once', () => {
  it('the refresh token, the session it produced and the signed-out session cookie all stop working', async () => {
    const { sessionJwt, refreshJwt } = await portal.session('reader@example.com');
    const expired = await expiredCopy(sessionJwt);
    // A refresh through the gateway: the portal now remembers its result for a while.
    const refreshed = await readWith(`DS=${expired}; DSR=${refreshJwt}`);
    expect(refreshed.status).toBe(200);
    const newSession = /^DS=([^;]+)/.exec(refreshed.setCookies.find((c) => c.startsWith('DS=')) ?? '')?.[1] ?? '';
    expect(newSession).toMatch(/^ey/);
    const signedOut = await logout(`DS=${newSession}; DSR=${refreshJwt}`);
    expect(signedOut.status).toBe(200);
    expect(await signedOut.json()).toEqual({ ok: true, revoked: true });
    for (const cookie of [`DS=${expired}; DSR=${refreshJwt}`, `DSR=${refreshJwt}`, `DS=${newSession}`]) {
      const after = await readWith(cookie);
      tally.count('sign-out', after.status === 401 && after.reached === 0);
      expect({ cookie: cookie.slice(0, 3), status: after.status, reached: after.reached }).toEqual({ cookie: cookie.slice(0, 3), status: 401, reached: 0 });
    }
  });

  it('a session signed out on this instance is refused as a bearer token too', async () => {
    const { sessionJwt, refreshJwt } = await portal.session('editor@example.com');
    await logout(`DS=${sessionJwt}; DSR=${refreshJwt}`);
    const response = await fetch(`${base}${search}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sessionJwt}`, accept: 'application/json' },
      body: '{}',
    });
    tally.count('sign-out', response.status === 401);
    expect(response.status).toBe(401);
  });
});

describe('only a same-origin POST signs out', () => {
  it.each([
    ['a cross-site POST', { origin: 'https://evil.example' }],
    ['a POST from an opaque origin', { origin: 'null' }],
    ['a POST marked cross-site by the browser', { origin: '', 'sec-fetch-site': 'cross-site' }],
  ])('%s is refused and the session keeps working', async (_name, headers) => {
    const { sessionJwt, refreshJwt } = await portal.session('reader@example.com');
    const cookie = `DS=${sessionJwt}; DSR=${refreshJwt}`;
    const refused = await logout(cookie, Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== '')) as Record<string, string>);
    const still = await readWith(cookie);
    tally.count('cross-site sign-out', refused.status === 403 && still.status === 200);
    expect([refused.status, refused.headers.getSetCookie().length, still.status]).toEqual([403, 0, 200]);
  });

  it('a GET (a link, an <img>, a top-level navigation) only asks, and signs nobody out', async () => {
    const { sessionJwt, refreshJwt } = await portal.session('reader@example.com');
    const cookie = `DS=${sessionJwt}; DSR=${refreshJwt}`;
    const page = await fetch(`${base}/auth/logout`, { headers: { cookie, accept: 'text/html', 'sec-fetch-site': 'cross-site' }, redirect: 'manual' });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('<form method="post" action="/auth/logout">');
    expect(page.headers.getSetCookie()).toEqual([]);
    const still = await readWith(cookie);
    tally.count('cross-site sign-out', still.status === 200);
    expect(still.status).toBe(200);
  });
});

describe('tokens minted for another audience are not sessions here', () => {
  it.each([
    ['another project', 'P2someoneelse0000000000000000', 401],
    ['another app', 'https://app.example.com', 401],
    ['a list without this project', ['a', 'b'], 401],
    ['an empty list', [], 401],
    ['this project', 'P2emulator0000000000000000000', 200],
    ['a list naming this project', ['other', 'P2emulator0000000000000000000'], 200],
  ])('aud = %s → %i', async (_name, aud, status) => {
    const { sessionJwt } = await portal.session('reader@example.com');
    const token = await sign({ ...claimsOf(sessionJwt), aud });
    const before = recorder.seen.length;
    const response = await fetch(`${base}${search}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, body: '{}' });
    const reached = recorder.seen.length - before;
    tally.count('audience', response.status === status && reached === (status === 200 ? 1 : 0));
    expect({ status: response.status, reached }).toEqual({ status, reached: status === 200 ? 1 : 0 });
  });
});

describe('two different session cookies (one planted for a longer path or a parent domain)', () => {
  it.each([
    ['two DS', (mine: string, theirs: string) => `DS=${theirs}; DS=${mine}`],
    ['two DSR', (_mine: string, theirs: string, refresh = '') => `DSR=${theirs}; DSR=${refresh}`],
    ['planted DS before a full session', (mine: string, theirs: string, refresh = '') => `DS=${theirs}; DS=${mine}; DSR=${refresh}`],
  ])('%s: neither is used; both are cleared at every path of this request', async (_name, cookies) => {
    const victim = await portal.session('editor@example.com');
    const attacker = await portal.session('reader@example.com');
    const result = await readWith(cookies(victim.sessionJwt, attacker.sessionJwt, victim.refreshJwt));
    const cleared = result.setCookies.filter((c) => /^DSR?=;/.test(c)).map((c) => /Path=([^;]+)/.exec(c)?.[1]);
    tally.count('duplicate session cookies', result.status === 401 && result.reached === 0);
    expect({ status: result.status, reached: result.reached }).toEqual({ status: 401, reached: 0 });
    expect(cleared).toEqual(expect.arrayContaining(['/', '/mlflow', '/mlflow/', '/mlflow/api', '/mlflow/api/2.0/mlflow/experiments/search']));
  });
});
