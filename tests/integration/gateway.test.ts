import { createServer, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '@/tools/local-stack/wait';
import { mlflowApi, startPortalHarness, type PortalHarness } from '@/tests/support/portal-harness';
import { startRecordingUpstream } from '@/tests/support/recording-upstream';

let portal: PortalHarness;
let recorder: Awaited<ReturnType<typeof startRecordingUpstream>>;
let recordedPortal: string;

beforeAll(async () => {
  portal = await startPortalHarness();
  recorder = await startRecordingUpstream((req) =>
    req.url.startsWith('/redirect')
      ? { status: 302, headers: { location: `${recorder.url}/static-files/x?y=1`, 'www-authenticate': 'Basic realm="mlflow"' } }
      : req.url.startsWith('/slow')
        ? { delayMs: 3_000 }
        : {},
  );
  recordedPortal = await portal.listen({ upstreamUrl: new URL(recorder.url), upstreamTimeoutMs: 1_000 });
});
afterAll(async () => {
  await recorder?.close();
  await portal?.close();
});

describe('what reaches the upstream', () => {
  it("carries our identity headers and none of the client's, nor its credentials", async () => {
    const { sessionJwt } = await portal.session('reader@example.com');
    const response = await fetch(`${recordedPortal}/mlflow/api/2.0/mlflow/experiments/search`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sessionJwt}`,
        cookie: 'DS=forged; other=1',
        'x-descope-user-id': 'U2admin',
        'x-descope-roles': 'admin',
        x_descope_roles: 'admin',
        'x-forwarded-user': 'admin',
        'remote-user': 'admin',
        'x-forwarded-host': 'evil.example',
        'x-http-method-override': 'DELETE',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(response.status).toBe(200);
    const seen = recorder.seen.at(-1)!;
    expect(seen.url).toBe('/api/2.0/mlflow/experiments/search');
    expect(seen.headers['x-descope-roles']).toBe('mlflow-reader');
    expect(seen.headers['x-forwarded-email']).toBe('reader@example.com');
    expect(seen.headers['x-descope-user-id']).not.toBe('U2admin');
    for (const name of ['authorization', 'cookie', 'x_descope_roles', 'remote-user', 'x-forwarded-host', 'x-http-method-override'])
      expect(seen.headers, name).not.toHaveProperty(name);
    expect(seen.headers.host).toBe(new URL(recorder.url).host);
  });

  // /redirect and /slow are not MLflow routes: unmapped paths need MANAGE, so these use the admin.
  it('rewrites upstream redirects under /mlflow and drops Basic challenges', async () => {
    const { sessionJwt } = await portal.session('admin@example.com');
    const response = await fetch(`${recordedPortal}/mlflow/redirect`, { headers: { authorization: `Bearer ${sessionJwt}` }, redirect: 'manual' });
    expect(response.headers.get('location')).toBe('/mlflow/static-files/x?y=1');
    expect(response.headers.get('www-authenticate')).toBeNull();
  });

  it('answers 504 when MLflow is slower than the timeout, 502 when it is down', async () => {
    const { sessionJwt } = await portal.session('admin@example.com');
    const slow = await fetch(`${recordedPortal}/mlflow/slow`, { headers: { authorization: `Bearer ${sessionJwt}` } });
    expect(slow.status).toBe(504);
    expect((await slow.json()).error_code).toBe('TEMPORARILY_UNAVAILABLE');
    const deadPortal = await portal.listen({ upstreamUrl: new URL('http://127.0.0.1:9') });
    const down = await fetch(`${deadPortal}/mlflow/`, { headers: { authorization: `Bearer ${sessionJwt}`, accept: 'text/html' } });
    expect(down.status).toBe(502);
    expect(await down.text()).toContain('MLflow is unreachable');
  });
});

describe('sessions', () => {
  it('refreshes an expired DS with a valid DSR and sets both cookies on the same response', async () => {
    const { refreshJwt, sessionJwt } = await portal.session('editor@example.com');
    const claims = JSON.parse(Buffer.from(sessionJwt.split('.')[1], 'base64url').toString());
    const signed = await fetch(`${portal.emulator.url}/emulator/sign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ claims: { ...claims, exp: Math.floor(Date.now() / 1000) - 60 } }),
    });
    const { jwt: expired } = (await signed.json()) as { jwt: string };
    const response = await fetch(`${portal.url}/mlflow/api/2.0/mlflow/experiments/search`, {
      method: 'POST',
      headers: { cookie: `DS=${expired}; DSR=${refreshJwt}`, 'content-type': 'application/json' },
      body: '{"max_results": 1}',
    });
    expect(response.status).toBe(200);
    const cookies = response.headers.getSetCookie();
    expect(cookies.some((c) => c.startsWith('DS=ey') && c.includes('HttpOnly'))).toBe(true);
    expect(cookies.some((c) => c.startsWith('DSR=ey') && c.includes('HttpOnly'))).toBe(true);
    expect(cookies.find((c) => c.startsWith('DS='))).not.toContain(expired);
  });

  it('clears the cookies when the refresh token was revoked', async () => {
    const { refreshJwt } = await portal.session('editor@example.com');
    await fetch(`${portal.emulator.url}/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${portal.config.projectId}:${refreshJwt}` },
      body: '{}',
    });
    const response = await fetch(`${portal.url}/mlflow/api/2.0/mlflow/experiments/search`, {
      method: 'POST',
      headers: { cookie: `DSR=${refreshJwt}` },
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie().some((c) => c.startsWith('DS=;') && c.includes('Max-Age=0'))).toBe(true);
  });

  it('refuses a cookie-authenticated write from a foreign origin', async () => {
    const { sessionJwt } = await portal.session('editor@example.com');
    const host = new URL(portal.url).host;
    const response = await fetch(`${portal.url}/mlflow/ajax-api/2.0/mlflow/experiments/create`, {
      method: 'POST',
      headers: { cookie: `DS=${sessionJwt}`, origin: 'https://evil.example', 'content-type': 'application/json', host },
      body: JSON.stringify({ name: `csrf-${Date.now()}` }),
    });
    expect(response.status).toBe(403);
    const sameOrigin = await fetch(`${portal.url}/mlflow/ajax-api/2.0/mlflow/experiments/create`, {
      method: 'POST',
      headers: { cookie: `DS=${sessionJwt}`, origin: portal.url, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `same-${Date.now()}` }),
    });
    expect(sameOrigin.status).toBe(200);
  });
});

describe('bodies reach MLflow framed by the portal', () => {
  it('a chunked JSON body (no Content-Length) is read by MLflow, not answered "Missing value"', async () => {
    const { sessionJwt } = await portal.session('editor@example.com');
    const name = `chunked-${Date.now()}`;
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`{"name": "${name.slice(0, 4)}`));
        controller.enqueue(new TextEncoder().encode(`${name.slice(4)}"}`));
        controller.close();
      },
    });
    const response = await fetch(`${portal.url}/mlflow/api/2.0/mlflow/experiments/create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sessionJwt}`, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status, await response.clone().text()).toBe(200);
    const created = (await response.json()) as { experiment_id: string };
    const fetched = await mlflowApi(portal.url, sessionJwt, 'GET', `experiments/get?experiment_id=${created.experiment_id}`);
    expect(fetched.json.experiment.name).toBe(name);
  });

  it('a query string reaches MLflow with the same parameters, doubled slashes included', async () => {
    const { sessionJwt } = await portal.session('admin@example.com');
    await fetch(`${recordedPortal}/mlflow/api/2.0/mlflow/experiments/get-by-name?experiment_name=a//b%2F%2Fc&x=1`, {
      headers: { authorization: `Bearer ${sessionJwt}` },
    });
    // The custom server passes it byte for byte; under `next start`, Next re-encodes it (a%2F%2Fb).
    const seen = new URL(recorder.seen.at(-1)?.url ?? '', 'http://x');
    expect([seen.pathname, [...seen.searchParams]]).toEqual([
      '/api/2.0/mlflow/experiments/get-by-name',
      [
        ['experiment_name', 'a//b//c'],
        ['x', '1'],
      ],
    ]);
  });
});

describe('run tagging', () => {
  it('stamps user_id and descope.* tags on run creation, whatever the client claimed', async () => {
    const { sessionJwt } = await portal.session('editor@example.com');
    const run = await mlflowApi(portal.url, sessionJwt, 'POST', 'runs/create', {
      experiment_id: '0',
      user_id: 'mallory',
      tags: [{ key: 'mlflow.user', value: 'mallory' }],
    });
    expect(run.status).toBe(200);
    const tags = Object.fromEntries((run.json.run.data.tags as { key: string; value: string }[]).map((t) => [t.key, t.value]));
    // The MLflow user name is the human-readable login (DESCOPE_USERNAME_CLAIM=email by default);
    // the Descope user id travels in its own tag.
    expect(run.json.run.info.user_id).toBe('editor@example.com');
    expect(tags['mlflow.user']).toBe('editor@example.com');
    expect(tags['descope.user_id']).toBe('U2emuEditor00000000000000002');
    expect(tags['descope.email']).toBe('editor@example.com');
    expect(tags['descope.roles']).toBe('mlflow-editor');
  });

  it('rejects client-set descope.* tags with 400', async () => {
    const { sessionJwt } = await portal.session('editor@example.com');
    const create = await mlflowApi(portal.url, sessionJwt, 'POST', 'runs/create', { experiment_id: '0', tags: [{ key: 'descope.user_id', value: 'U2admin' }] });
    expect(create.status).toBe(400);
    const run = await mlflowApi(portal.url, sessionJwt, 'POST', 'runs/create', { experiment_id: '0' });
    const runId = run.json.run.info.run_id;
    expect((await mlflowApi(portal.url, sessionJwt, 'POST', 'runs/set-tag', { run_id: runId, key: 'descope.roles', value: 'admin' })).status).toBe(400);
    expect((await mlflowApi(portal.url, sessionJwt, 'POST', 'runs/log-batch', { run_id: runId, tags: [{ key: 'Descope.Email', value: 'x' }] })).status).toBe(
      400,
    );
  });
});

describe('a client that goes away', () => {
  it('mid-download: the upstream exchange is torn down, not left streaming into nowhere', async () => {
    // An endless body: 64 KiB every 5 ms until its connection closes (an unmapped path: the admin).
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    const endless = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const timer = setInterval(() => {
        res.write(Buffer.alloc(65_536));
      }, 5);
      res.once('close', () => {
        clearInterval(timer);
        upstreamClosed();
      });
    });
    const upstream = await listenOnLoopback(endless);
    try {
      const portalUrl = await portal.listen({ upstreamUrl: new URL(upstream.url) });
      const { sessionJwt } = await portal.session('admin@example.com');
      const received = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${portalUrl}/mlflow/endless`, { headers: { authorization: `Bearer ${sessionJwt}` } }, (res) => {
          expect(res.statusCode).toBe(200);
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes >= 1_000_000) {
              req.destroy();
              resolve(bytes);
            }
          });
        });
        req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
        req.end();
      });
      expect(received).toBeGreaterThanOrEqual(1_000_000);
      const wentAway = performance.now();
      await closed;
      // Well inside the upstream timeout (5 s here), which would end it too, late.
      expect(performance.now() - wentAway).toBeLessThan(2_000);
    } finally {
      await upstream.close();
    }
  });
});
