import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { APIResponse, BrowserContext, Page, Response } from '@playwright/test';
import { startEmulator } from '../../tools/descope-emulator/server';
import { DEMO_MANAGEMENT_KEY, DEMO_PROJECT_ID } from '../../tools/local-stack/stack';
import { startPortal, type PortalProcess } from '../../tools/local-stack/portal';
import { startNginxBalancer, type NginxProcess } from '../../tools/local-stack/nginx';
import { freePort } from '../../tools/local-stack/wait';
import { test, expect } from './fixtures';
import { LoginPage } from './pages/login-page';
import { MlflowUi } from './pages/mlflow-ui';
import { ProfilePage } from './pages/profile-page';

/**
 * Stateless scale-out: two portal instances with the same configuration, one Descope (emulator)
 * and one MLflow, behind nginx round robin. A browser session, its refreshes and an access key
 * must work whichever instance a request lands on.
 */
const SESSION_TTL_SECONDS = 4;
const EDITOR_ID = 'U2emuEditor00000000000000002';
const dataDir = resolve('.cache/e2e-scale-out');

let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
let portals: PortalProcess[] = [];
let nginx: (NginxProcess & { url: string }) | undefined;

test.describe.configure({ timeout: 240_000 });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const mlflowUrl = process.env.E2E_MLFLOW_URL;
  if (!mlflowUrl) throw new Error('E2E_MLFLOW_URL is not set: run through playwright.config.ts');
  emulator = await startEmulator({ projectId: DEMO_PROJECT_ID, managementKey: DEMO_MANAGEMENT_KEY, port: await freePort() });
  const assertion: Record<string, string> = process.env.E2E_ASSERTION_SECRET
    ? { PORTAL_AUTHZ: 'mlflow', PORTAL_ASSERTION_SECRET: process.env.E2E_ASSERTION_SECRET }
    : {};
  const env = {
    DESCOPE_PROJECT_ID: DEMO_PROJECT_ID,
    DESCOPE_MANAGEMENT_KEY: DEMO_MANAGEMENT_KEY,
    DESCOPE_BASE_URL: emulator.url,
    MLFLOW_UPSTREAM_URL: mlflowUrl,
    ...assertion,
  };
  const [portA, portB, lbPort] = [await freePort(), await freePort(), await freePort()];
  portals = await Promise.all([
    startPortal({ port: portA, env: { ...env, PORTAL_AUDIT_LOG: resolve(dataDir, 'audit-a.log') } }),
    startPortal({ port: portB, env: { ...env, PORTAL_AUDIT_LOG: resolve(dataDir, 'audit-b.log') } }),
  ]);
  nginx = await startNginxBalancer({ port: lbPort, upstreams: portals.map((portal) => portal.url) });
});

test.afterAll(async () => {
  // Kept for diagnosis: each instance's log and the balancer's view of who served what.
  portals.forEach((portal, index) => writeFileSync(resolve(dataDir, `portal-${'ab'[index]}.log`), portal.output()));
  if (nginx) writeFileSync(resolve(dataDir, 'nginx-access.log'), nginx.accessLog());
  await nginx?.stop();
  await Promise.all(portals.map((portal) => portal.stop()));
  await emulator?.close();
});

/**
 * Which instance (`host:port`) answered each response, which answered the portal's pages
 * (documents and Next's prefetches of them, both behind the session check), and which instances
 * set fresh session cookies.
 */
function instanceTracker(context: BrowserContext) {
  const served = new Set<string>();
  const pagesServedBy = new Set<string>();
  const pageFailures: string[] = [];
  const refreshedBy: string[] = [];
  const record = async (response: Response | APIResponse) => {
    const headers = await response.headersArray();
    const instance = headers.find((header) => header.name.toLowerCase() === 'x-portal-instance')?.value;
    if (!instance) return;
    served.add(instance);
    if (headers.some((header) => header.name.toLowerCase() === 'set-cookie' && header.value.startsWith('DS=ey'))) refreshedBy.push(instance);
    const { pathname } = new URL(response.url());
    if (pathname !== '/' && pathname !== '/profile') return;
    if (response.status() === 200) pagesServedBy.add(instance);
    else pageFailures.push(`${pathname} ${response.status()} from ${instance}`);
  };
  context.on('response', (response) => void record(response).catch(() => undefined));
  return { served, pagesServedBy, pageFailures, refreshedBy, record };
}

async function sessionCookie(context: BrowserContext): Promise<string> {
  return (await context.cookies()).find((cookie) => cookie.name === 'DS')?.value ?? '';
}

/**
 * Opens `/` and `/profile` in turn, checking each shows the signed-in editor, until each instance
 * has served the portal's pages signed in (round robin gets there within a few visits).
 */
async function browseAcrossInstances(page: Page, tracker: ReturnType<typeof instanceTracker>, instances: string[]) {
  tracker.pagesServedBy.clear();
  tracker.pageFailures.length = 0;
  for (let visit = 0; visit < 12 && tracker.pagesServedBy.size < instances.length; visit += 1) {
    const path = visit % 2 === 0 ? '/' : '/profile';
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page).toHaveURL(path);
    if (path === '/profile') await expect(page.getByTestId('profile-email')).toHaveText('editor@example.com');
    else await expect(page.getByTestId('signed-in-user')).toHaveAttribute('title', 'editor@example.com');
  }
  await expect.poll(() => [...tracker.pagesServedBy].sort()).toEqual([...instances].sort());
  expect(tracker.pageFailures).toEqual([]);
}

/** Calls `call` until the DS cookie changes (the session expired and some instance refreshed it); every call must succeed. */
async function untilSessionRefreshed(context: BrowserContext, tracker: ReturnType<typeof instanceTracker>, call: () => Promise<APIResponse>) {
  const before = await sessionCookie(context);
  await expect
    .poll(
      async () => {
        const response = await call();
        expect(response.status()).toBe(200);
        await tracker.record(response);
        return sessionCookie(context);
      },
      { timeout: (SESSION_TTL_SECONDS + 20) * 1000, intervals: [500] },
    )
    .not.toBe(before);
}

function runMlflowClient(trackingUri: string, key: string): Promise<{ exitCode: number; output: Record<string, unknown> }> {
  const env = {
    ...process.env,
    MLFLOW_TRACKING_URI: trackingUri,
    MLFLOW_TRACKING_TOKEN: key,
    EXPERIMENT_NAME: `scale-out-${Date.now()}`,
    ARTIFACT_MB: '2',
    MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0',
  };
  return new Promise((done) => {
    execFile(resolve('.cache/venv/bin/python'), [resolve('tests/support/mlflow_client_roundtrip.py')], { env, timeout: 90_000 }, (error, stdout, stderr) => {
      const lastLine = stdout.trim().split('\n').pop() ?? '{}';
      done({
        exitCode: error ? Number(error.code ?? 1) : 0,
        output: JSON.parse(lastLine.startsWith('{') ? lastLine : JSON.stringify({ stderr: stderr.slice(-2000) })) as Record<string, unknown>,
      });
    });
  });
}

/** The portal's own request log: one JSON line per /mlflow request it served. */
function requestLog(portal: PortalProcess): { path: string; method: string; status: number; user: string | null }[] {
  return portal
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"event":"request"'))
    .map((line) => JSON.parse(line) as { path: string; method: string; status: number; user: string | null });
}

test('two portal instances behind nginx serve one browser session, its refreshes, the MLflow UI and the mlflow client', async ({ browser }) => {
  const lb = nginx!;
  const instances = portals.map((portal) => new URL(portal.url).host);
  // Sessions issued from now on live 4 s: the browser's DS expires during the test.
  const knob = await fetch(`${emulator!.url}/emulator/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sessionTtlSeconds: SESSION_TTL_SECONDS }),
  });
  expect(knob.status).toBe(200);

  const context = await browser.newContext({ baseURL: lb.url });
  const seen = instanceTracker(context);
  const page = await context.newPage();

  await test.step('sign in through the balancer and browse pages on both instances', async () => {
    await page.goto('/profile');
    await new LoginPage(page).signInAs('editor@example.com');
    await expect(page).toHaveURL('/profile');
    await expect(page.getByTestId('profile-email')).toHaveText('editor@example.com');
    await browseAcrossInstances(page, seen, instances);
  });

  await test.step('the session expires; a page request refreshes it on whichever instance it reaches', async () => {
    await untilSessionRefreshed(context, seen, () => page.request.get('/auth/user'));
    expect(seen.refreshedBy.length).toBeGreaterThan(0);
    await browseAcrossInstances(page, seen, instances);
    expect((await page.request.get('/auth/user')).status()).toBe(200);
  });

  await test.step('the MLflow UI under /mlflow/ works across instances, and its API calls refresh the session too', async () => {
    await new MlflowUi(page).openExperiments();
    await expect(page).toHaveURL(/\/mlflow\//);
    const refreshesBefore = seen.refreshedBy.length;
    await untilSessionRefreshed(context, seen, () => page.request.post('/mlflow/ajax-api/2.0/mlflow/experiments/search', { data: { max_results: 5 } }));
    expect(seen.refreshedBy.length).toBeGreaterThan(refreshesBefore);
    await page.reload();
    await expect(page.getByRole('heading', { name: /Experiments/ }).first()).toBeVisible();
  });

  let key = '';
  await test.step('create an access key on /profile (a server action through the balancer)', async () => {
    const profile = new ProfilePage(page);
    await profile.goto();
    await profile.createKey('scale-out job', 'In 30 days');
    key = await profile.newKey();
    // The snippet names the balancer's address: Host and X-Forwarded-* reached the portal intact.
    await expect(profile.snippet()).toContainText(`export MLFLOW_TRACKING_URI=${lb.url}/mlflow`);
    await profile.closeNewKeyDialog();
  });

  await test.step('the stock mlflow client with the key logs a run and an artifact through nginx', async () => {
    const result = await runMlflowClient(`${lb.url}/mlflow`, key);
    expect(result.exitCode, JSON.stringify(result.output)).toBe(0);
    expect(result.output).toMatchObject({ artifact_identical: true, user_id: 'editor@example.com', tags: { 'descope.user_id': EDITOR_ID } });
  });

  await test.step('both instances served the browser and the client', async () => {
    expect([...seen.served].sort()).toEqual([...instances].sort());
    const logs = portals.map(requestLog);
    for (const [index, log] of logs.entries()) {
      expect(log.filter((line) => line.user === EDITOR_ID && line.status === 200).length, `instance ${instances[index]}`).toBeGreaterThan(0);
    }
    const everything = logs.flat();
    expect(everything.some((line) => line.method === 'PUT' && line.path.includes('/mlflow-artifacts/artifacts/') && line.status === 200)).toBe(true);
    expect(everything.some((line) => line.path === '/mlflow/api/2.0/mlflow/runs/create' && line.status === 200)).toBe(true);
    const balanced = lb
      .accessLog()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ')[0]);
    for (const instance of instances) expect(balanced, instance).toContain(instance);
  });
  await context.close();
});
