import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import DescopeClient from '@descope/node-sdk';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { createPortalRuntime } from '@/lib/runtime/portal-runtime';
import { startMlflow, withDescopePlugin, type LocalMlflow } from '@/tools/local-stack/mlflow';
import { freePort } from '@/tools/local-stack/wait';
import { MANAGEMENT_KEY, PROJECT_ID, portalMlflowCall, startPortalHarness, type PortalHarness } from '@/tests/support/portal-harness';

// PORTAL_AUTHZ=mlflow against a real MLflow 3.18 running its auth app with this repo's plugin,
// owner-only by default (default_permission = NO_PERMISSIONS, the shipped ini's choice).
const SECRET = randomBytes(32).toString('base64url');
const run = promisify(execFile);
const python = resolve('.cache/venv/bin/python');
const OWNER = 'editor@example.com';
const OTHER = 'norole@example.com'; // made an editor below
const GROUPED = 'tenant@example.com'; // editor through T-acme, and in Descope's mlflow-reader group
const ADMIN = 'admin@example.com';

let mlflow: LocalMlflow;
let portal: PortalHarness;
let management: ReturnType<typeof DescopeClient>['management'];
const tokens = new Map<string, string>();

async function tokenOf(loginId: string, fresh = false): Promise<string> {
  if (fresh || !tokens.has(loginId)) tokens.set(loginId, (await portal.session(loginId)).sessionJwt);
  return tokens.get(loginId)!;
}

/** A call through the portal as `loginId`; `path` is MLflow's, e.g. /api/2.0/mlflow/experiments/get?… */
async function call(loginId: string, method: string, path: string, body?: unknown) {
  return portalMlflowCall(portal.url, await tokenOf(loginId), { method, path, body });
}

async function keyOf(loginId: string): Promise<string> {
  const { data: user } = await management.user.load(loginId);
  const created = await management.accessKey.create(`rbac-${Date.now()}`, 0, [], undefined, user!.userId);
  return created.data!.cleartext;
}

/** MLflow's AuthServiceClient (Python) through the portal with a Descope access key. */
async function authClient(key: string, ...args: string[]): Promise<Record<string, any>> {
  const { stdout } = await run(python, [resolve('tests/support/auth_service_client.py'), ...args], {
    env: { ...process.env, MLFLOW_TRACKING_URI: `${portal.url}/mlflow`, MLFLOW_TRACKING_TOKEN: key, MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0' },
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}

const experimentIds = (search: { json: Record<string, any> }) => ((search.json.experiments ?? []) as { experiment_id: string }[]).map((e) => e.experiment_id);

beforeAll(async () => {
  const dataDir = resolve('.cache/it-rbac-mlflow');
  rmSync(dataDir, { recursive: true, force: true });
  const plugin = withDescopePlugin({ dataDir, assertionSecret: SECRET, defaultPermission: 'NO_PERMISSIONS' });
  mlflow = await startMlflow({ port: await freePort(), dataDir, ...plugin });
  portal = await startPortalHarness({ PORTAL_AUTHZ: 'mlflow', PORTAL_ASSERTION_SECRET: SECRET, MLFLOW_UPSTREAM_URL: mlflow.url, DESCOPE_TENANT_ID: 'T-acme' });
  management = DescopeClient({ projectId: PROJECT_ID, baseUrl: portal.emulator.url, managementKey: MANAGEMENT_KEY }).management;
  await management.user.setRoles(OTHER, ['mlflow-editor']);
  await management.user.setRoles(GROUPED, ['mlflow-reader']);
  // MLflow's side of a Descope group: a role of the same name with what the group may do.
  const role = await call(ADMIN, 'POST', '/api/3.0/mlflow/roles/create', { name: 'mlflow-reader', workspace: 'default' });
  expect(role.status, role.text).toBe(200);
  const granted = await call(ADMIN, 'POST', '/api/3.0/mlflow/roles/permissions/add', {
    role_id: role.json.role.id,
    resource_type: 'experiment',
    resource_pattern: '*',
    permission: 'READ',
  });
  expect(granted.status, granted.text).toBe(200);
}, 120_000);
afterAll(async () => {
  await portal?.close();
  await mlflow?.stop();
});

describe('MLflow trusts only the portal', () => {
  const assertion = (claims: Record<string, unknown>, options: { secret?: string; alg?: string; exp?: number } = {}) =>
    new SignJWT({ username: 'intruder@example.com', email: '', name: '', admin: true, roles: [], tenants: {}, ...claims })
      .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
      .setIssuer('mlflow-descope-portal')
      .setAudience('mlflow')
      .setSubject('U-intruder')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 30)
      .setExpirationTime(options.exp ?? Math.floor(Date.now() / 1000) + 30)
      .sign(new TextEncoder().encode(options.secret ?? SECRET));

  it('refuses a request that goes around the portal, whatever it carries', async () => {
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: 'mlflow-descope-portal', aud: 'mlflow', sub: 'U', username: 'x', admin: true, roles: [], tenants: {}, exp: 2e9, iat: 1e9 })).toString('base64url')}.`;
    const cases: [string, Record<string, string>][] = [
      ['none', {}],
      ['basic', { authorization: `Basic ${Buffer.from('mlflow-bootstrap-admin:whatever').toString('base64')}` }],
      ['another secret', { 'x-descope-assertion': await assertion({}, { secret: randomBytes(32).toString('hex') }) }],
      ['expired', { 'x-descope-assertion': await assertion({}, { exp: Math.floor(Date.now() / 1000) - 60 }) }],
      ['alg none', { 'x-descope-assertion': unsigned }],
      ['garbage', { 'x-descope-assertion': 'not-a-jwt' }],
    ];
    for (const [name, headers] of cases) {
      const response = await fetch(`${mlflow.url}/api/2.0/mlflow/experiments/search?max_results=10`, { headers });
      expect(response.status, name).toBe(401);
      expect(((await response.json()) as { error_code: string }).error_code, name).toBe('UNAUTHENTICATED');
    }
  });

  it('/auth/health says MLflow runs the plugin, and says so when the secrets differ', async () => {
    expect((await portal.runtime.health({ probeDescope: false })).authz).toEqual({ mode: 'mlflow', plugin: { ok: true } });
    const mismatched = createPortalRuntime(
      parseConfig({
        ...process.env,
        DESCOPE_PROJECT_ID: PROJECT_ID,
        DESCOPE_BASE_URL: portal.emulator.url,
        MLFLOW_UPSTREAM_URL: mlflow.url,
        PORTAL_AUTHZ: 'mlflow',
        PORTAL_ASSERTION_SECRET: 'x'.repeat(40),
      }),
    );
    const health = await mismatched.health({ probeDescope: false });
    expect(health.status).toBe('unhealthy');
    expect(health.authz).toMatchObject({ mode: 'mlflow', plugin: { ok: false, error: expect.stringContaining('PORTAL_ASSERTION_SECRET differs') } });
    mismatched.close();
  });

  it('MLflow knows the caller by their human-readable name, not through its own Basic login', async () => {
    const current = await call(OWNER, 'GET', '/api/2.0/mlflow/users/current');
    expect(current.status, current.text).toBe(200);
    expect(current.json).toMatchObject({ user: { username: OWNER, is_admin: false }, is_basic_auth: false });
    expect((await call(ADMIN, 'GET', '/ajax-api/2.0/mlflow/users/current')).json).toMatchObject({ user: { username: ADMIN, is_admin: true } });
  });
});

describe('owners, sharing and filtered search', () => {
  let experimentId: string;
  let runId: string;
  const model = `rbac-model-${Date.now()}`;

  beforeAll(async () => {
    const created = await call(OWNER, 'POST', '/api/2.0/mlflow/experiments/create', { name: `rbac-private-${Date.now()}` });
    expect(created.status, created.text).toBe(200);
    experimentId = created.json.experiment_id;
    const started = await call(OWNER, 'POST', '/api/2.0/mlflow/runs/create', { experiment_id: experimentId, start_time: Date.now() });
    runId = started.json.run.info.run_id;
    const upload = await fetch(`${portal.url}/mlflow/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/notes.txt`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await tokenOf(OWNER)}` },
      body: 'private notes',
    });
    expect(upload.status).toBe(200);
    expect((await call(OWNER, 'POST', '/api/2.0/mlflow/registered-models/create', { name: model })).status).toBe(200);
  });

  it('another editor sees none of it: not in searches, not by id, not the artifact', async () => {
    const search = await call(OTHER, 'POST', '/api/2.0/mlflow/experiments/search', { max_results: 1000 });
    expect(search.status).toBe(200);
    expect(experimentIds(search)).not.toContain(experimentId);
    const models = await call(OTHER, 'POST', '/api/2.0/mlflow/registered-models/search', { max_results: 1000 });
    expect(((models.json.registered_models ?? []) as { name: string }[]).map((m) => m.name)).not.toContain(model);
    expect((await call(OTHER, 'GET', `/api/2.0/mlflow/experiments/get?experiment_id=${experimentId}`)).status).toBe(403);
    // Searches are narrowed, not refused: nothing of the experiment comes back.
    const runs = await call(OTHER, 'POST', '/api/2.0/mlflow/runs/search', { experiment_ids: [experimentId] });
    expect([runs.status, runs.json.runs ?? []]).toEqual([200, []]);
    expect((await call(OTHER, 'GET', `/get-artifact?path=notes.txt&run_uuid=${runId}`)).status).toBe(403);
    expect((await call(OTHER, 'GET', `/api/2.0/mlflow/registered-models/get?name=${model}`)).status).toBe(403);
    expect((await call(OTHER, 'GET', `/api/2.0/mlflow/traces?experiment_ids=${experimentId}`)).status).toBe(403);
  });

  it('the owner shares it read-only with AuthServiceClient and an access key; the other reads but cannot write', async () => {
    const key = await keyOf(OWNER);
    const otherKey = await keyOf(OTHER);
    expect(await authClient(key, 'grant', OTHER, 'experiment', experimentId, 'READ')).toEqual({ ok: true });
    // `allowed` is MLflow's "may use" tier, which READ alone is not.
    expect(await authClient(otherKey, 'get', OTHER, 'experiment', experimentId)).toEqual({ ok: true, allowed: false, permission: 'READ' });
    expect(experimentIds(await call(OTHER, 'POST', '/api/2.0/mlflow/experiments/search', { max_results: 1000 }))).toContain(experimentId);
    expect((await call(OTHER, 'POST', '/api/2.0/mlflow/runs/search', { experiment_ids: [experimentId] })).json.runs).toHaveLength(1);
    const artifact = await call(OTHER, 'GET', `/get-artifact?path=notes.txt&run_uuid=${runId}`);
    expect([artifact.status, artifact.text]).toEqual([200, 'private notes']);
    expect((await call(OTHER, 'POST', '/api/2.0/mlflow/experiments/update', { experiment_id: experimentId, new_name: 'taken' })).status).toBe(403);
    expect((await call(OTHER, 'POST', '/api/2.0/mlflow/runs/create', { experiment_id: experimentId })).status).toBe(403);
    // The registered model was not shared.
    expect((await call(OTHER, 'GET', `/api/2.0/mlflow/registered-models/get?name=${model}`)).status).toBe(403);
    // And the other cannot pass on what they only read.
    expect(await authClient(otherKey, 'grant', GROUPED, 'experiment', experimentId, 'READ')).toMatchObject({ ok: false });
    expect(await authClient(key, 'revoke', OTHER, 'experiment', experimentId)).toEqual({ ok: true });
    expect((await call(OTHER, 'GET', `/api/2.0/mlflow/experiments/get?experiment_id=${experimentId}`)).status).toBe(403);
  });

  it("a Descope group becomes an MLflow role; DENY on one experiment beats the group's READ on all", async () => {
    const search = await call(GROUPED, 'POST', '/api/2.0/mlflow/experiments/search', { max_results: 1000 });
    expect(experimentIds(search)).toContain(experimentId);
    const second = await call(OWNER, 'POST', '/api/2.0/mlflow/experiments/create', { name: `rbac-denied-${Date.now()}` });
    const denied = second.json.experiment_id as string;
    const key = await keyOf(OWNER);
    expect(await authClient(key, 'grant', GROUPED, 'experiment', denied, 'DENY')).toEqual({ ok: true });
    expect((await call(GROUPED, 'GET', `/api/2.0/mlflow/experiments/get?experiment_id=${denied}`)).status).toBe(403);
    expect((await call(GROUPED, 'GET', `/api/2.0/mlflow/experiments/get?experiment_id=${experimentId}`)).status).toBe(200);
    const after = experimentIds(await call(GROUPED, 'POST', '/api/2.0/mlflow/experiments/search', { max_results: 1000 }));
    expect(after).toContain(experimentId);
    expect(after).not.toContain(denied);
  });

  it('a role removed in Descope leaves the MLflow role at the next request after the token refresh', async () => {
    const rolesOf = async () =>
      ((await call(ADMIN, 'GET', `/api/3.0/mlflow/users/roles/list?username=${encodeURIComponent(GROUPED)}`)).json.roles as { name: string }[]).map(
        (r) => r.name,
      );
    expect(await rolesOf()).toContain('mlflow-reader');
    await management.user.setRoles(GROUPED, []);
    await tokenOf(GROUPED, true); // the refreshed session carries the new roles
    expect((await call(GROUPED, 'GET', `/api/2.0/mlflow/experiments/get?experiment_id=${experimentId}`)).status).toBe(403);
    expect(await rolesOf()).not.toContain('mlflow-reader');
  });
});

describe('what the portal still decides itself', () => {
  it('refuses READ-level writes before MLflow, and lets MLflow decide per resource from EDIT up', async () => {
    const write = await call('reader@example.com', 'POST', '/api/2.0/mlflow/experiments/create', { name: `reader-${Date.now()}` });
    expect(write.status).toBe(403);
    expect(write.json.error_code).toBe('PERMISSION_DENIED');
    // An editor deletes what they own: MANAGE on the resource comes from MLflow, not the role.
    const own = await call(OWNER, 'POST', '/api/2.0/mlflow/experiments/create', { name: `rbac-own-${Date.now()}` });
    expect((await call(OWNER, 'POST', '/api/2.0/mlflow/experiments/delete', { experiment_id: own.json.experiment_id })).status).toBe(200);
  });

  it('keeps the Assistant admin-only, for editors who own resources too', async () => {
    const refused = await call(OWNER, 'POST', '/ajax-api/3.0/mlflow/assistant/message', { message: 'run ls /' });
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ error_code: 'PERMISSION_DENIED' });
    const admin = await call(ADMIN, 'POST', '/ajax-api/3.0/mlflow/assistant/message', { message: 'hello' });
    expect(admin.json.message ?? '').not.toMatch(/admin/);
  });

  it('refuses the user lifecycle: Descope owns users', async () => {
    for (const [method, path, body] of [
      ['POST', '/api/2.0/mlflow/users/create', { username: 'mallory', password: 'password123456' }],
      ['PATCH', '/ajax-api/2.0/mlflow/users/update-admin', { username: OWNER, is_admin: true }],
      ['PATCH', '/api/2.0/mlflow/users/update-password', { username: OWNER, password: 'password123456' }],
      ['DELETE', '/api/2.0/mlflow/users/delete', { username: OWNER }],
      ['GET', '/signup', undefined],
    ] as const) {
      const refused = await call(ADMIN, method, path, body);
      expect(refused.status, path).toBe(403);
      expect(refused.json.message, path).toMatch(/users are managed in Descope/);
    }
    expect((await call(ADMIN, 'GET', `/api/2.0/mlflow/users/get?username=mallory`)).status).not.toBe(200);
  });
});
