import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PRODUCTION_REFUSAL, startEmulator } from '@/tools/descope-emulator/server';
import { bearer, MANAGEMENT_KEY, postJson, PROJECT_ID, useEmulator } from './support';

const ctx = useEmulator();
const management = bearer(MANAGEMENT_KEY);

async function expectErrorJson(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['errorCode', 'errorDescription', 'errorMessage']);
  return body;
}

describe('bad input', () => {
  it('answers malformed JSON with a 400 error body and keeps serving', async () => {
    const cases: [string, Record<string, string>][] = [
      ['/v2/mgmt/user/search', management],
      ['/v1/mgmt/accesskey/create', management],
      ['/v1/auth/refresh', bearer('x')],
      ['/emulator/session', {}],
      ['/emulator/outage', {}],
    ];
    for (const [path, headers] of cases) {
      for (const body of ['{"loginId":', 'not json', '{"a":1}}']) {
        const error = await expectErrorJson(await postJson(ctx.emulator, path, body, headers), 400);
        expect(error.errorMessage).toMatch(/JSON/);
      }
    }
    expect((await fetch(`${ctx.emulator.url}/emulator/info`)).status).toBe(200);
  });

  it('answers well-formed JSON of the wrong shape with 400', async () => {
    const cases: [string, unknown, Record<string, string>][] = [
      ['/v2/mgmt/user/search', { limit: 'ten' }, management],
      ['/v2/mgmt/user/search', { page: -1 }, management],
      ['/v2/mgmt/user/update/role/add', { loginId: 'reader@example.com', roleNames: 'admin' }, management],
      ['/v1/mgmt/accesskey/delete', {}, management],
      ['/v1/mgmt/accesskey/create', [], management],
      ['/emulator/session', null, {}],
      ['/emulator/session', { loginId: 42 }, {}],
      ['/emulator/config', { sessionTtlSeconds: 0 }, {}],
      ['/emulator/config', { sessionTTL: 60 }, {}],
      ['/emulator/rotate-keys', { keepPrevious: 'yes' }, {}],
    ];
    for (const [path, body, headers] of cases) {
      const error = await expectErrorJson(await postJson(ctx.emulator, path, JSON.stringify(body), headers), 400);
      expect(error.errorDescription).toBe('Bad request');
    }
  });

  it('answers bodies over 1 MiB with 413', async () => {
    const huge = JSON.stringify({ text: 'x'.repeat(1024 * 1024 + 1) });
    await expectErrorJson(await postJson(ctx.emulator, '/v2/mgmt/user/search', huge, management), 413);
    expect((await postJson(ctx.emulator, '/v2/mgmt/user/search', {}, management)).status).toBe(200);
  });

  it('answers unknown paths with 404, wrong methods with 405, garbage credentials with 401', async () => {
    await expectErrorJson(await fetch(`${ctx.emulator.url}/v1/nothing/here`), 404);
    await expectErrorJson(await fetch(`${ctx.emulator.url}/v2/keys/%E0%A4%A`), 404);
    await expectErrorJson(await fetch(`${ctx.emulator.url}/v2/keys/P2someoneelse`), 404);
    await expectErrorJson(await fetch(`${ctx.emulator.url}/v1/auth/refresh`), 405);
    await expectErrorJson(await fetch(`${ctx.emulator.url}/v1/auth/me`, { headers: { authorization: 'Basic Zm9vOmJhcg==' } }), 401);
    await expectErrorJson(await fetch(`${ctx.emulator.url}/v1/auth/me`, { headers: { authorization: `Bearer ${PROJECT_ID}:a.b.c` } }), 401);
  });
});

describe('raw HTTP', () => {
  it('answers an unparsable request target with a 400 error body', async () => {
    const socket = connect(ctx.emulator.port, '127.0.0.1');
    socket.end('GET http://[bad/v1/auth/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    let raw = '';
    socket.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    await once(socket, 'close');
    expect(raw.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ errorDescription: 'Bad request' });
  });
});

describe('CORS', () => {
  const origin = 'http://localhost:3000';

  it('echoes the exact origin with credentials on answers and errors', async () => {
    for (const response of [
      await fetch(`${ctx.emulator.url}/v2/keys/${PROJECT_ID}`, { headers: { origin } }),
      await fetch(`${ctx.emulator.url}/v1/auth/me`, { headers: { origin } }),
    ]) {
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    }
    const noOrigin = await fetch(`${ctx.emulator.url}/v2/keys/${PROJECT_ID}`);
    expect(noOrigin.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers preflights with 204 and the requested method and headers', async () => {
    const response = await fetch(`${ctx.emulator.url}/v1/auth/try-refresh`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-descope-sdk-name' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-methods')).toBe('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization,content-type,x-descope-sdk-name');
  });
});

describe('start-up', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('refuses to start with NODE_ENV=production', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    await expect(startEmulator({ projectId: PROJECT_ID })).rejects.toThrow(PRODUCTION_REFUSAL);
  });

  it('refuses invalid options with a readable message', async () => {
    await expect(startEmulator({ projectId: 'P2:with/colon' })).rejects.toThrow(/invalid emulator options/);
    await expect(startEmulator({ projectId: PROJECT_ID, usersFile: '/nonexistent/users.json' })).rejects.toThrow(/cannot read users file/);
  });

  it('seeds from a custom users file, keeping the bundled roles, and checks its roles', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-users-'));
    const user = { userId: 'U2custom', loginIds: ['custom@example.com'], roleNames: ['mlflow-admin'] };
    writeFileSync(join(dir, 'users.json'), JSON.stringify({ users: [user] }));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ users: [{ ...user, roleNames: ['root'] }] }));
    const emulator = await startEmulator({ projectId: PROJECT_ID, usersFile: join(dir, 'users.json') });
    try {
      const info = (await (await fetch(`${emulator.url}/emulator/info`)).json()) as { users: unknown[] };
      expect(info.users).toEqual([{ loginId: 'custom@example.com', name: '', roles: ['mlflow-admin'], tenants: [] }]);
    } finally {
      await emulator.close();
    }
    await expect(startEmulator({ projectId: PROJECT_ID, usersFile: join(dir, 'bad.json') })).rejects.toThrow(/unknown role root/);
  });
});
