import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { base64url, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startPortalHarness, TRANSPORT, type PortalHarness } from '@/tests/support/portal-harness';
import { startRecordingUpstream } from '@/tests/support/recording-upstream';
import { tally } from '@/tests/security/tally';

/**
 * The portal as a security boundary: each case is an attack, and each must be refused with the
 * right status while the upstream (a recorder standing in for MLflow) sees nothing it should not.
 */
let portal: PortalHarness;
let recorder: Awaited<ReturnType<typeof startRecordingUpstream>>;
let base: string;
let reader: { sessionJwt: string; refreshJwt: string };

beforeAll(async () => {
  portal = await startPortalHarness();
  recorder = await startRecordingUpstream();
  base = await portal.listen({ upstreamUrl: new URL(recorder.url) });
  reader = await portal.session('reader@example.com');
});
afterAll(async () => {
  tally.report('attacks');
  await recorder?.close();
  await portal?.close();
});

/** Sends the attack; asserts its status and that nothing reached the upstream. */
async function attack(kind: string, path: string, init: RequestInit & { headers?: Record<string, string> }, status: number) {
  const before = recorder.seen.length;
  const response = await fetch(`${base}${path}`, { redirect: 'manual', ...init });
  await response.clone().arrayBuffer();
  const reached = recorder.seen.length - before;
  tally.count(kind, response.status === status && reached === 0);
  expect({ status: response.status, reachedUpstream: reached }).toEqual({ status, reachedUpstream: 0 });
  return response;
}

/** A request with the path sent byte for byte (WHATWG fetch would normalise it first). */
function rawRequest(method: string, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/`, { method, path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end('{}');
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}`, accept: 'application/json' });
const writeJson = (token: string, body: unknown = {}) => ({
  method: 'POST',
  headers: { ...bearer(token), 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const sign = async (claims: Record<string, unknown>, header: Record<string, unknown> = {}) => {
  const response = await fetch(`${portal.emulator.url}/emulator/sign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ claims, header }),
  });
  return ((await response.json()) as { jwt: string }).jwt;
};
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
const search = '/mlflow/api/2.0/mlflow/experiments/search';
const create = '/mlflow/api/2.0/mlflow/experiments/create';

describe('forged and misused tokens → 401', () => {
  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    [
      'tampered payload',
      async () => {
        const [h, , s] = reader.sessionJwt.split('.');
        return `${h}.${base64url.encode(JSON.stringify({ ...claimsOf(reader.sessionJwt), roles: ['admin'] }))}.${s}`;
      },
    ],
    [
      'signed with another key under the real kid',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        const kid = JSON.parse(Buffer.from(reader.sessionJwt.split('.')[0], 'base64url').toString()).kid;
        return new SignJWT({ ...claimsOf(reader.sessionJwt), roles: ['admin'] }).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
      },
    ],
    [
      'alg: none',
      async () =>
        `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(JSON.stringify({ ...claimsOf(reader.sessionJwt), roles: ['admin'] }))}.`,
    ],
    [
      'HS256 signed with the public key',
      async () => {
        const jwks = (await (await fetch(`${portal.emulator.url}/v2/keys/${portal.config.projectId}`)).json()) as { keys: { kid: string }[] };
        const header = base64url.encode(JSON.stringify({ alg: 'HS256', kid: jwks.keys[0].kid }));
        const body = base64url.encode(JSON.stringify({ ...claimsOf(reader.sessionJwt), roles: ['admin'] }));
        return `${header}.${body}.${createHmac('sha256', JSON.stringify(jwks.keys[0])).update(`${header}.${body}`).digest('base64url')}`;
      },
    ],
    ['expired', () => sign({ ...claimsOf(reader.sessionJwt), exp: now() - 60 })],
    ['not yet valid', () => sign({ ...claimsOf(reader.sessionJwt), nbf: now() + 3600 })],
    ['without exp', () => sign({ ...claimsOf(reader.sessionJwt), exp: undefined })],
    ['issued for another project', () => sign({ ...claimsOf(reader.sessionJwt), iss: 'https://api.descope.com/P2someoneelse00000000000000' })],
    [
      'with an unknown kid',
      async () => {
        const { privateKey, publicKey } = await generateKeyPair('RS256');
        void (await exportJWK(publicKey));
        return new SignJWT(claimsOf(reader.sessionJwt)).setProtectedHeader({ alg: 'RS256', kid: 'attacker-kid' }).sign(privateKey);
      },
    ],
    ['a refresh token used as a session token', async () => reader.refreshJwt],
    ['garbage', async () => 'not.a.jwt'],
  ])('%s', async (_name, forge) => {
    const response = await attack('forged token', search, writeJson(await forge()), 401);
    expect((await response.json()).error_code).toBe('UNAUTHENTICATED');
  });

  it('a forged session cookie with no refresh token', async () => {
    await attack(
      'forged token',
      search,
      { method: 'POST', headers: { cookie: `DS=${await sign({ ...claimsOf(reader.sessionJwt), exp: now() - 5 })}` }, body: '{}' },
      401,
    );
  });
});

describe('path tricks aimed at public routes or the permission table', () => {
  // [path, status on the custom server, status under `next start`, sent as the reader]. Under
  // `next start`, Next's own router answers some spellings before the gateway sees them: 404 for
  // what is not under /mlflow/ to it, a 308 to the canonical path (followed here, so the answer
  // is the gateway's decision on that path), Next's bare 500 for malformed percent-escapes.
  it.each([
    ['/auth/health/../../mlflow/api/2.0/mlflow/experiments/create', 401, 401, false],
    ['/auth/health/%2e%2e/%2e%2e/mlflow/api/2.0/mlflow/experiments/create', 401, 401, false],
    ['/mlflow%2fapi%2f2.0%2fmlflow%2fexperiments%2fcreate', 403, 404, true],
    ['//mlflow/api/2.0/mlflow/experiments/create', 403, 403, true],
    ['/mlflow/api/2.0/mlflow/experiments/search/../create', 403, 403, true],
    ['/mlflow/api/2.0/mlflow/experiments/create?/search', 403, 403, true],
    ['/mlflow/api/2.0/mlflow/experiments/create.', 403, 403, true],
    ['/mlflow/api/2.0/mlflow/experiments/create;.js', 400, 400, true],
    ['/mlflow/api/2.0/mlflow/experiments/%c0%ae%c0%ae/create', 400, 500, true],
    ['/mlflow/api/2.0/mlflow/experiments/create%00', 400, 400, true],
    ['/mlflow/api/2.0/mlflow/experiments/create%23/../../experiments/create', 403, 403, true],
  ] as const)('%s → %i (next start: %i)', async (path, customServer, nextStart, withReader) => {
    const status = TRANSPORT === 'next-start' ? nextStart : customServer;
    await attack('path trick', path, { ...(withReader ? writeJson(reader.sessionJwt) : { method: 'POST', body: '{}' }), redirect: 'follow' }, status);
  });

  it('a raw backslash (which fetch would turn into "/") is refused, or sent to the canonical path', async () => {
    const before = recorder.seen.length;
    const status = await rawRequest('POST', '/mlflow/api/2.0/mlflow/experiments\\create', bearer(reader.sessionJwt));
    const expected = TRANSPORT === 'next-start' ? 308 : 400;
    tally.count('path trick', status === expected && recorder.seen.length === before);
    expect([status, recorder.seen.length - before]).toEqual([expected, 0]);
  });

  it('/MLFLOW/ is not the gateway: it goes to Next (no such page) and never upstream', async () => {
    await attack('path trick', '/MLFLOW/api/2.0/mlflow/experiments/create', writeJson(reader.sessionJwt), 404);
  });
});

describe('headers', () => {
  it('method override headers do not turn a read into a delete', async () => {
    const before = recorder.seen.length;
    const response = await fetch(`${base}${search}`, {
      method: 'POST',
      headers: { ...bearer(reader.sessionJwt), 'x-http-method-override': 'DELETE', 'x-method-override': 'DELETE' },
      body: '{}',
    });
    expect(response.status).toBe(200);
    const seen = recorder.seen.slice(before);
    tally.count('header spoofing', seen.length === 1 && seen[0].headers['x-http-method-override'] === undefined);
    expect(seen.map((r) => [r.method, r.headers['x-http-method-override'], r.headers['x-method-override']])).toEqual([['POST', undefined, undefined]]);
  });

  it('spoofed identity headers are replaced by the real identity', async () => {
    const before = recorder.seen.length;
    await fetch(`${base}${search}`, {
      method: 'POST',
      headers: {
        ...bearer(reader.sessionJwt),
        'x-descope-roles': 'admin',
        'x-forwarded-user': 'admin',
        'remote-user': 'admin',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-uri': '/auth/health',
        x_forwarded_user: 'admin',
      },
      body: '{}',
    });
    const [seen] = recorder.seen.slice(before);
    expect(seen.headers['x-descope-roles']).toBe('mlflow-reader');
    expect(seen.headers['x-forwarded-user']).not.toBe('admin');
    tally.count('header spoofing', seen.headers['x-descope-roles'] === 'mlflow-reader');
    for (const name of ['remote-user', 'x-forwarded-host', 'x-forwarded-uri', 'x_forwarded_user']) expect(seen.headers, name).not.toHaveProperty(name);
  });

  it('oversized headers and cookies are refused before anything else', async () => {
    await attack('oversized headers', search, { method: 'POST', headers: { ...bearer(reader.sessionJwt), 'x-pad': 'a'.repeat(20_000) }, body: '{}' }, 431);
    await attack('oversized headers', search, { method: 'POST', headers: { cookie: `DS=${'a'.repeat(20_000)}` }, body: '{}' }, 431);
  });

  it('CVE-2025-29927: x-middleware-subrequest cannot skip proxy.ts', async () => {
    const response = await fetch(`${base}/profile`, {
      headers: { 'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware', accept: 'text/html' },
      redirect: 'manual',
    });
    if (TRANSPORT === 'next-start') {
      // Next itself: the proxy ran and sent the visitor to sign in.
      tally.count('header spoofing', response.status === 302);
      expect([response.status, response.headers.get('location')]).toEqual([302, expect.stringContaining('/auth/login?next=%2Fprofile')]);
    } else {
      // The custom server strips it before Next sees the request.
      tally.count('header spoofing', !('x-middleware-subrequest' in (portal.nextRequests.at(-1) ?? {})));
      expect(portal.nextRequests.at(-1)).not.toHaveProperty('x-middleware-subrequest');
    }
  });
});

describe('cross-site writes with cookies', () => {
  it.each([[{ origin: 'https://evil.example' }], [{ origin: 'null' }], [{ 'sec-fetch-site': 'cross-site' }]])('%j → 403', async (headers) => {
    await attack(
      'cross-site write',
      create,
      { method: 'POST', headers: { cookie: `DS=${reader.sessionJwt}`, 'content-type': 'application/json', ...headers }, body: '{}' },
      403,
    );
  });
});

describe('reserved tags', () => {
  it('a client setting descope.* tags is refused and nothing is written', async () => {
    const editor = await portal.session('editor@example.com');
    await attack(
      'reserved tags',
      '/mlflow/api/2.0/mlflow/runs/set-tag',
      writeJson(editor.sessionJwt, { run_id: 'r', key: 'descope.user_id', value: 'U2admin' }),
      400,
    );
    await attack(
      'reserved tags',
      '/mlflow/api/2.0/mlflow/runs/create',
      writeJson(editor.sessionJwt, { experiment_id: '0', tags: [{ key: ' DESCOPE.roles', value: 'admin' }] }),
      400,
    );
    await attack(
      'reserved tags',
      '/mlflow/ajax-api/2.0/mlflow/runs/log-batch',
      writeJson(editor.sessionJwt, { run_id: 'r', tags: [{ key: 'descope.email', value: 'x' }] }),
      400,
    );
  });
});

describe('a second path to MLflow: every spelling is decided once, on the normalised path', () => {
  it.each([
    '/mlflow/..%2fversion',
    '/mlflow/%2e%2e/version',
    '/mlflow/..%2F..%2Fmlflow%2F..%2Fversion',
    '/mlflow/api/..%2f..%2f..%2fversion',
    '/mlflow/%2e%2e%2fapi/2.0/mlflow/experiments/create',
  ])("%s never reaches MLflow outside the gateway's decision", async (path) => {
    const before = recorder.seen.length;
    const status = await rawRequest('GET', path, { ...bearer(reader.sessionJwt), host: 'portal.test' });
    const reached = recorder.seen.slice(before);
    // Whatever answers (Next's 404, the gateway's 403), MLflow saw nothing it was not meant to.
    tally.count('second path', reached.every((r) => r.url.startsWith('/api/') || r.url.startsWith('/ajax-api/')) && reached.length === 0);
    expect({ status: status >= 400, reached: reached.map((r) => r.url) }).toEqual({ status: true, reached: [] });
  });

  it('the custom server hands Next the normalised path, never the raw spelling', async () => {
    if (TRANSPORT === 'next-start') return void expect(portal.transport).toBe('next-start');
    await rawRequest('GET', '/mlflow/..%2fversion', { accept: 'application/json', host: 'portal.test' });
    expect(portal.nextRequests.at(-1)?.url).toBe('/version');
  });

  it("the client's own X-Forwarded-For, X-Real-IP and Forwarded never reach MLflow as the client address", async () => {
    const before = recorder.seen.length;
    await fetch(`${base}${search}`, {
      method: 'POST',
      headers: { ...bearer(reader.sessionJwt), 'x-real-ip': '6.6.6.6', 'x-forwarded-for': '6.6.6.6', forwarded: 'for=6.6.6.6' },
      body: '{}',
    });
    const [seen] = recorder.seen.slice(before);
    const spoofed = JSON.stringify(seen.headers).includes('6.6.6.6');
    tally.count('client address spoofing', !spoofed);
    expect(spoofed).toBe(false);
  });
});

describe('what clients get back', () => {
  it("MLflow's Server header and its Date do not pass: one Date, the portal's", async () => {
    const response = await fetch(`${base}${search}`, { method: 'POST', headers: bearer(reader.sessionJwt), body: '{}' });
    expect(response.headers.get('server')).toBeNull();
    expect(response.headers.get('date')).toMatch(/^\w{3}, \d\d \w{3} \d{4} [\d:]{8} GMT$/);
  });
});
