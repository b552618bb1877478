import DescopeClient from '@descope/node-sdk';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createPortalRuntime } from '@/lib/runtime/portal-runtime';
import { createPortalServer } from '@/lib/server/portal-server';
import { listenOnLoopback } from '@/tools/local-stack/wait';
import { MANAGEMENT_KEY, PROJECT_ID, startPortalHarness, type PortalHarness } from '@/tests/support/portal-harness';

// The admin's server action runs for real, behind its real gate, on the admin's real session:
// only Next's request store is stood in for, holding the headers the admin's browser sends.
const adminRequest = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock('next/headers', () => ({ headers: async () => adminRequest.headers }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn() }));

// Short sessions, so the other instance's window (one session lifetime) is measured in seconds.
const SESSION_TTL_SECONDS = 8;
// JwtVerifier accepts a token up to 5 s past `exp`, as Descope's SDK does.
const CLOCK_LEEWAY_SECONDS = 5;

let portal: PortalHarness;
let thisInstance: string;
let otherInstance: { url: string; close(): Promise<void> };
const closers: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  // A loaded machine's MLflow can take seconds for a first write; this test is not about that.
  portal = await startPortalHarness({ MLFLOW_UPSTREAM_TIMEOUT_MS: '60000' });
  // This test is about which instance made the change: both are in-process custom servers.
  const here = await listenOnLoopback(createPortalServer(portal.runtime, notNext));
  const otherRuntime = createPortalRuntime(portal.config, { customServer: true });
  otherInstance = await listenOnLoopback(createPortalServer(otherRuntime, notNext));
  thisInstance = here.url;
  closers.push(here.close, otherInstance.close, () => otherRuntime.close());
  await fetch(`${portal.emulator.url}/emulator/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sessionTtlSeconds: SESSION_TTL_SECONDS }),
  });
});
afterAll(async () => {
  for (const close of closers) await close();
  await portal?.close();
});

async function notNext(_req: unknown, res: { writeHead(status: number): { end(): void } }) {
  res.writeHead(404).end();
}

const cookieOf = (session: { sessionJwt: string; refreshJwt: string }) => `DS=${session.sessionJwt}; DSR=${session.refreshJwt}`;

/** What the MLflow UI sends when it creates an experiment: the session cookies, from the portal's own page. */
async function browserCreates(base: string, cookie: string): Promise<number> {
  const response = await fetch(`${base}/mlflow/ajax-api/2.0/mlflow/experiments/create`, {
    method: 'POST',
    headers: { cookie, origin: base, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ name: `role-removal-${Date.now()}-${Math.random()}` }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** The UI's experiment list: a read, so polling creates nothing. */
async function browserReads(base: string, cookie: string): Promise<number> {
  const response = await fetch(`${base}/mlflow/ajax-api/2.0/mlflow/experiments/search`, {
    method: 'POST',
    headers: { cookie, origin: base, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json', accept: 'application/json' },
    body: '{"max_results":1}',
  });
  await response.arrayBuffer();
  return response.status;
}

async function keyCreates(base: string, key: string): Promise<number> {
  const response = await fetch(`${base}/mlflow/api/2.0/mlflow/experiments/create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `role-removal-key-${Date.now()}` }),
  });
  await response.arrayBuffer();
  return response.status;
}

it(
  "after an admin removes mlflow-editor, the editor's next browser call is refused here at once, and on another instance within one session lifetime",
  { timeout: 60_000 },
  async () => {
    const editor = cookieOf(await portal.session('editor@example.com'));
    const management = DescopeClient({ projectId: PROJECT_ID, baseUrl: portal.emulator.url, managementKey: MANAGEMENT_KEY }).management;
    const { data: editorUser } = await management.user.load('editor@example.com');
    const key = (await management.accessKey.create('role removal', 0, [], undefined, editorUser!.userId)).data!.cleartext;
    // Both instances have seen (and cached) the editor's session and key as an editor.
    for (const base of [thisInstance, otherInstance.url]) {
      expect(await browserCreates(base, editor)).toBe(200);
      expect(await keyCreates(base, key)).toBe(200);
    }

    const admin = await portal.session('admin@example.com');
    adminRequest.headers = new Headers({ cookie: cookieOf(admin), host: new URL(thisInstance).host, origin: thisInstance, 'sec-fetch-site': 'same-origin' });
    const { revokeRole } = await import('@/lib/admin/actions');
    const removed = await revokeRole({ loginId: 'editor@example.com', role: 'mlflow-editor' });
    expect(removed).toMatchObject({ ok: true, data: { access: { permission: 'READ' } } });
    const removedAt = Date.now();

    // This instance: the very next call is refused (Descope ended the sessions), and the key is READ.
    expect(await browserCreates(thisInstance, editor)).toBe(401);
    expect(Date.now() - removedAt).toBeLessThan(1_000);
    expect(await keyCreates(thisInstance, key)).toBe(403);

    // Another instance still trusts the session it verified, until the session JWT expires.
    expect(await browserCreates(otherInstance.url, editor)).toBe(200);
    let refusedAfterMs: number | undefined;
    while (refusedAfterMs === undefined && Date.now() - removedAt < (SESSION_TTL_SECONDS + CLOCK_LEEWAY_SECONDS + 5) * 1000) {
      if ((await browserReads(otherInstance.url, editor)) === 401) refusedAfterMs = Date.now() - removedAt;
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(refusedAfterMs, 'the other instance never refused the removed editor').toBeDefined();
    expect(refusedAfterMs!).toBeLessThanOrEqual((SESSION_TTL_SECONDS + CLOCK_LEEWAY_SECONDS + 1) * 1000);
    expect(await browserCreates(otherInstance.url, editor)).toBe(401);
    // Its cached key session lasts no longer: the owner's current roles apply at the next exchange.
    expect(await keyCreates(otherInstance.url, key)).toBe(403);
  },
);
