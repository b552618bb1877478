import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import DescopeClient from '@descope/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMlflow, withDescopePlugin, type LocalMlflow } from '@/tools/local-stack/mlflow';
import { freePort } from '@/tools/local-stack/wait';
import { MANAGEMENT_KEY, PROJECT_ID, portalMlflowCall, startPortalHarness, type PortalHarness } from '@/tests/support/portal-harness';
import { startRecordingRelay, type RecordingRelay } from '@/tests/support/recording-relay';

// PORTAL_WORKSPACES=tenants against a real MLflow 3.18 with --enable-workspaces, its auth app and
// this repo's plugin, owner-only by default. Tenant T-acme is mapped to `acme`; T-Globex gets the
// default slug `t-globex`. A recording relay between the portal and MLflow shows what reached it.
const SECRET = randomBytes(32).toString('base64url');
const run = promisify(execFile);
const python = resolve('.cache/venv/bin/python');
const ACME = 'tenant@example.com'; // editor in T-acme
const GLOBEX = 'globex@example.com'; // editor in T-Globex
const BOTH = 'both@example.com'; // editor in T-acme, reader in T-Globex
const NO_TENANT = 'editor@example.com'; // a project editor in no tenant
const ADMIN = 'admin@example.com';

let mlflow: LocalMlflow;
let relay: RecordingRelay;
let portal: PortalHarness;
const tokens = new Map<string, string>();
type Seeded = { experiment_id: string; run_id: string; model: string; prompt: string };
let acmeThings: Seeded;
let globexThings: Seeded;

async function tokenOf(loginId: string, fresh = false): Promise<string> {
  if (fresh || !tokens.has(loginId)) tokens.set(loginId, (await portal.session(loginId)).sessionJwt);
  return tokens.get(loginId)!;
}

async function call(loginId: string, method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) {
  return portalMlflowCall(portal.url, await tokenOf(loginId), { method, path, ...options });
}

/** The stock mlflow client through the portal (tests/support/workspace_client.py). */
async function client(loginId: string, workspace: string | undefined, ...args: string[]): Promise<Record<string, any>> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MLFLOW_TRACKING_URI: `${portal.url}/mlflow`,
    MLFLOW_TRACKING_TOKEN: await tokenOf(loginId),
    MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0',
    MLFLOW_WORKSPACE: workspace,
  };
  if (workspace === undefined) delete env.MLFLOW_WORKSPACE;
  const { stdout } = await run(python, [resolve('tests/support/workspace_client.py'), ...args], { env, timeout: 120_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}

const experimentNames = (search: { json: Record<string, any> }) => ((search.json.experiments ?? []) as { name: string }[]).map((e) => e.name);
const workspaceNames = (list: { json: Record<string, any> }) => ((list.json.workspaces ?? []) as { name: string }[]).map((w) => w.name).sort();
const searchIn = (loginId: string, workspace?: string) =>
  call(loginId, 'POST', '/api/2.0/mlflow/experiments/search', { body: { max_results: 100 }, headers: workspace ? { 'x-mlflow-workspace': workspace } : {} });

beforeAll(async () => {
  const dataDir = resolve('.cache/it-workspaces-mlflow');
  rmSync(dataDir, { recursive: true, force: true });
  const plugin = withDescopePlugin({ dataDir, assertionSecret: SECRET, defaultPermission: 'NO_PERMISSIONS' });
  mlflow = await startMlflow({ port: await freePort(), dataDir, extraArgs: [...plugin.extraArgs, '--enable-workspaces'], env: plugin.env });
  relay = await startRecordingRelay(mlflow.url);
  portal = await startPortalHarness({
    PORTAL_AUTHZ: 'mlflow',
    PORTAL_ASSERTION_SECRET: SECRET,
    PORTAL_WORKSPACES: 'tenants',
    DESCOPE_TENANT_WORKSPACES: 'T-acme=acme',
    MLFLOW_UPSTREAM_URL: relay.url,
  });
  // Each member makes their things with the stock client and no MLFLOW_WORKSPACE: their tenant's workspace.
  acmeThings = (await client(ACME, undefined, 'seed', 'acme')) as Seeded;
  globexThings = (await client(GLOBEX, undefined, 'seed', 'globex')) as Seeded;
}, 300_000);

afterAll(async () => {
  await portal?.close();
  await relay?.close();
  await mlflow?.stop();
});

describe('Descope tenants as MLflow workspaces', () => {
  it('creates each tenant workspace on first use, owned by that tenant, and files each member’s things there', async () => {
    const all = await call(ADMIN, 'GET', '/api/3.0/mlflow/workspaces');
    expect(workspaceNames(all)).toEqual(['acme', 'default', 't-globex']);
    const described = Object.fromEntries((all.json.workspaces as { name: string; description?: string }[]).map((w) => [w.name, w.description ?? '']));
    expect(described.acme).toContain('[descope-tenant:T-acme]');
    expect(described['t-globex']).toContain('[descope-tenant:T-Globex]');
    expect(experimentNames(await searchIn(ADMIN, 'acme'))).toContain('acme-experiment');
    expect(experimentNames(await searchIn(ADMIN, 'acme'))).not.toContain('globex-experiment');
    expect(experimentNames(await searchIn(ADMIN, 't-globex'))).toContain('globex-experiment');
  });

  it('a member reads and writes their own things with the stock client', async () => {
    const own = await client(ACME, undefined, 'probe', JSON.stringify(acmeThings));
    expect(own).toEqual(Object.fromEntries(Object.keys(own).map((check) => [check, 'ok'])));
    expect(Object.keys(own)).toHaveLength(8);
  });

  it('neither member can list, read, search, download or write the other’s things from their own workspace', async () => {
    for (const [loginId, theirs] of [
      [ACME, globexThings],
      [GLOBEX, acmeThings],
    ] as const) {
      const probe = await client(loginId, undefined, 'probe', JSON.stringify(theirs));
      for (const [check, outcome] of Object.entries(probe)) expect(outcome, `${loginId}: ${check}`).not.toBe('ok');
    }
    expect(experimentNames(await searchIn(ACME))).toEqual(['acme-experiment']);
    expect(experimentNames(await searchIn(GLOBEX))).toEqual(['globex-experiment']);
  });

  it('naming the other’s workspace (MLFLOW_WORKSPACE, the header) is refused by the portal and reaches MLflow not at all', async () => {
    await relay.settled();
    const before = relay.requests.length;
    const probe = await client(ACME, 't-globex', 'probe', JSON.stringify(globexThings));
    for (const [check, outcome] of Object.entries(probe)) {
      expect(outcome, check).toMatch(/not a member of workspace t-globex/);
    }
    for (const spelling of ['X-MLFLOW-WORKSPACE', 'x-mlflow-workspace', 'X-Mlflow-Workspace']) {
      const refused = await call(ACME, 'POST', '/api/2.0/mlflow/experiments/search', { body: { max_results: 10 }, headers: { [spelling]: 't-globex' } });
      expect(refused.status).toBe(403);
      expect(refused.json).toEqual({ error_code: 'PERMISSION_DENIED', message: 'you are not a member of workspace t-globex (yours: acme)' });
    }
    for (const bad of ['T-Globex', 'acme, t-globex', '../t-globex', 'a']) {
      const refused = await call(ACME, 'GET', '/api/3.0/mlflow/workspaces', { headers: { 'x-mlflow-workspace': bad } });
      expect(refused.status, bad).toBe(400);
    }
    await relay.settled();
    expect(relay.requests.slice(before), 'requests that reached MLflow').toEqual([]);
  });

  it('an underscore spelling of the header is dropped: MLflow sees only the workspace the portal chose', async () => {
    await relay.settled();
    const before = relay.requests.length;
    const search = await call(ACME, 'POST', '/api/2.0/mlflow/experiments/search', { body: { max_results: 10 }, headers: { x_mlflow_workspace: 't-globex' } });
    expect(experimentNames(search)).toEqual(['acme-experiment']);
    await relay.settled();
    const [reached] = relay.requests.slice(before);
    const workspaceHeaders = reached!.headers.filter(([name]) => name.replace(/_/g, '-') === 'x-mlflow-workspace');
    expect(workspaceHeaders).toEqual([['x-mlflow-workspace', 'acme']]);
  });

  it('GraphQL runs in the caller’s workspace too: the other tenant’s run is not readable', async () => {
    const query = (runId: string) => ({ query: `query { mlflowGetRun(input: {runId: "${runId}"}) { run { info { runId experimentId } } } }` });
    const own = await call(ACME, 'POST', '/graphql', { body: query(acmeThings.run_id) });
    expect(own.json.data?.mlflowGetRun?.run?.info?.runId).toBe(acmeThings.run_id);
    const other = await call(ACME, 'POST', '/graphql', { body: query(globexThings.run_id) });
    expect(other.text).not.toContain(globexThings.experiment_id.length > 0 ? `"experimentId":"${globexThings.experiment_id}"` : 'never');
    expect(other.json.data?.mlflowGetRun?.run ?? null).toBeNull();
  });

  it('a user in both tenants switches workspaces and sees each one’s data only there, at that tenant’s level', async () => {
    const created = await call(BOTH, 'POST', '/api/2.0/mlflow/experiments/create', {
      body: { name: 'both-in-acme' },
      headers: { 'x-mlflow-workspace': 'acme' },
    });
    expect(created.status).toBe(200);
    const id = String(created.json.experiment_id);
    expect(experimentNames(await searchIn(BOTH, 'acme'))).toEqual(['both-in-acme']);
    // No header: the first of their workspaces by name, acme.
    expect(experimentNames(await searchIn(BOTH))).toEqual(['both-in-acme']);
    expect(experimentNames(await searchIn(BOTH, 't-globex'))).toEqual([]);
    const there = await call(BOTH, 'GET', `/api/2.0/mlflow/experiments/get?experiment_id=${id}`, { headers: { 'x-mlflow-workspace': 'acme' } });
    expect(there.json.experiment?.name).toBe('both-in-acme');
    const elsewhere = await call(BOTH, 'GET', `/api/2.0/mlflow/experiments/get?experiment_id=${id}`, { headers: { 'x-mlflow-workspace': 't-globex' } });
    expect(elsewhere.status).not.toBe(200);
    expect(elsewhere.text).not.toContain('both-in-acme');
    const listed = await call(BOTH, 'GET', '/api/3.0/mlflow/workspaces');
    expect(workspaceNames(listed)).toEqual(['acme', 't-globex']);
    const readerThere = await call(BOTH, 'POST', '/api/2.0/mlflow/experiments/create', {
      body: { name: 'both-in-globex' },
      headers: { 'x-mlflow-workspace': 't-globex' },
    });
    expect(readerThere.status).toBe(403);
    expect(readerThere.json.message).toBe('this needs EDIT permission in workspace t-globex; yours is READ');
  });

  it('MLflow’s workspace list shows each caller only their tenants’ workspaces', async () => {
    expect(workspaceNames(await call(ACME, 'GET', '/api/3.0/mlflow/workspaces'))).toEqual(['acme']);
    expect(workspaceNames(await call(GLOBEX, 'GET', '/api/3.0/mlflow/workspaces'))).toEqual(['t-globex']);
  });

  it('a user in no tenant is refused with the reason, and the default workspace stays closed', async () => {
    const refused = await searchIn(NO_TENANT);
    expect(refused.status).toBe(403);
    expect(refused.json.message).toMatch(/no MLflow workspace for you: you belong to no Descope tenant/);
    expect((await searchIn(NO_TENANT, 'default')).status).toBe(403);
  });

  it('removing a user from a tenant in Descope removes their access on the next token', async () => {
    const management = DescopeClient({ projectId: PROJECT_ID, baseUrl: portal.emulator.url, managementKey: MANAGEMENT_KEY }).management;
    await management.user.removeTenant(BOTH, 'T-Globex');
    try {
      await tokenOf(BOTH, true);
      const refused = await searchIn(BOTH, 't-globex');
      expect(refused.status).toBe(403);
      expect(refused.json.message).toBe('you are not a member of workspace t-globex (yours: acme)');
      // MLflow follows: the plugin took the membership away, so its own list no longer shows it.
      expect(workspaceNames(await call(BOTH, 'GET', '/api/3.0/mlflow/workspaces'))).toEqual(['acme']);
    } finally {
      await management.user.addTenantRoles(BOTH, 'T-Globex', ['mlflow-reader']);
      await tokenOf(BOTH, true);
    }
  });
});
