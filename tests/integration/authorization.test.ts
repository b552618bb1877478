import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflowApi, startPortalHarness, type PortalHarness } from '@/tests/support/portal-harness';

let portal: PortalHarness;
const tokens: Record<string, string> = {};
const direct = (endpoint: string, body: unknown) =>
  fetch(`${portal.mlflowUrl}/api/2.0/mlflow/${endpoint}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
    (r) => r.json(),
  );
const experimentNamed = async (name: string) =>
  (await direct('experiments/search', { filter: `name = '${name}'`, max_results: 5, view_type: 'ALL' })).experiments?.[0];

beforeAll(async () => {
  portal = await startPortalHarness();
  for (const user of ['admin', 'editor', 'reader', 'norole', 'tenant']) tokens[user] = (await portal.session(`${user}@example.com`)).sessionJwt;
});
afterAll(() => portal?.close());

describe('reader', () => {
  it('searches and reads, and loads the UI', async () => {
    expect((await mlflowApi(portal.url, tokens.reader, 'POST', 'experiments/search', { max_results: 10 })).status).toBe(200);
    expect((await mlflowApi(portal.url, tokens.reader, 'POST', 'runs/search', { experiment_ids: ['0'] })).status).toBe(200);
    expect((await mlflowApi(portal.url, tokens.reader, 'GET', 'experiments/get?experiment_id=0')).status).toBe(200);
    const ui = await fetch(`${portal.url}/mlflow/`, { headers: { authorization: `Bearer ${tokens.reader}` } });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('static-files');
  });

  it('cannot create, log or delete, and nothing changes upstream', async () => {
    const name = `reader-attempt-${Date.now()}`;
    const created = await mlflowApi(portal.url, tokens.reader, 'POST', 'experiments/create', { name });
    expect(created.status).toBe(403);
    expect(created.json.error_code).toBe('PERMISSION_DENIED');
    expect(await experimentNamed(name)).toBeUndefined();
    expect((await mlflowApi(portal.url, tokens.reader, 'POST', 'runs/log-metric', { run_id: 'x', key: 'm', value: 1, timestamp: 0 })).status).toBe(403);
    expect((await mlflowApi(portal.url, tokens.reader, 'POST', 'experiments/delete', { experiment_id: '0' })).status).toBe(403);
    const upload = await fetch(`${portal.url}/mlflow/api/2.0/mlflow-artifacts/artifacts/0/x/artifacts/a.txt`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${tokens.reader}` },
      body: 'data',
    });
    expect(upload.status).toBe(403);
    const defaultExperiment = await (await fetch(`${portal.mlflowUrl}/api/2.0/mlflow/experiments/get?experiment_id=0`)).json();
    expect(defaultExperiment.experiment.lifecycle_stage).toBe('active');
  });
});

describe('editor', () => {
  it('creates experiments and runs, logs, and registers a model, but cannot delete', async () => {
    const name = `editor-${Date.now()}`;
    const created = await mlflowApi(portal.url, tokens.editor, 'POST', 'experiments/create', { name });
    expect(created.status).toBe(200);
    const experimentId = created.json.experiment_id as string;
    const run = await mlflowApi(portal.url, tokens.editor, 'POST', 'runs/create', { experiment_id: experimentId, start_time: Date.now() });
    expect(run.status).toBe(200);
    const runId = run.json.run.info.run_id as string;
    expect(
      (
        await mlflowApi(portal.url, tokens.editor, 'POST', 'runs/log-batch', {
          run_id: runId,
          metrics: [{ key: 'loss', value: 0.5, timestamp: Date.now(), step: 0 }],
          params: [{ key: 'lr', value: '0.1' }],
        })
      ).status,
    ).toBe(200);
    const model = await mlflowApi(portal.url, tokens.editor, 'POST', 'registered-models/create', { name: `model-${Date.now()}` });
    expect(model.status).toBe(200);

    const deleteExperiment = await mlflowApi(portal.url, tokens.editor, 'POST', 'experiments/delete', { experiment_id: experimentId });
    expect(deleteExperiment.status).toBe(403);
    expect((await experimentNamed(name)).lifecycle_stage).toBe('active');
    expect((await mlflowApi(portal.url, tokens.editor, 'DELETE', 'registered-models/delete', { name: model.json.registered_model.name })).status).toBe(403);
  });
});

describe('admin', () => {
  it('deletes and restores', async () => {
    const name = `admin-${Date.now()}`;
    const { json } = await mlflowApi(portal.url, tokens.admin, 'POST', 'experiments/create', { name });
    expect((await mlflowApi(portal.url, tokens.admin, 'POST', 'experiments/delete', { experiment_id: json.experiment_id })).status).toBe(200);
    expect((await experimentNamed(name)).lifecycle_stage).toBe('deleted');
    expect((await mlflowApi(portal.url, tokens.admin, 'POST', 'experiments/restore', { experiment_id: json.experiment_id })).status).toBe(200);
    expect((await experimentNamed(name)).lifecycle_stage).toBe('active');
  });
});

describe('tenant roles', () => {
  it('do not count without DESCOPE_TENANT_ID (the tenant user gets the READ default)', async () => {
    expect((await mlflowApi(portal.url, tokens.tenant, 'POST', 'experiments/create', { name: `tenant-${Date.now()}` })).status).toBe(403);
    expect((await mlflowApi(portal.url, tokens.tenant, 'POST', 'experiments/search', { max_results: 1 })).status).toBe(200);
  });
});

describe('unauthenticated and unmapped', () => {
  it('API clients get 401 JSON with WWW-Authenticate; browsers are redirected to login', async () => {
    const api = await mlflowApi(portal.url, undefined, 'POST', 'experiments/search', {});
    expect(api.status).toBe(401);
    expect(api.json.error_code).toBe('UNAUTHENTICATED');
    expect(api.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const browser = await fetch(`${portal.url}/mlflow/#/experiments`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(browser.status).toBe(302);
    expect(browser.headers.get('location')).toBe('/auth/login?next=%2Fmlflow%2F');
  });

  it('an endpoint missing from the table needs MANAGE', async () => {
    expect((await mlflowApi(portal.url, tokens.editor, 'POST', 'not-a-real/endpoint', {})).status).toBe(403);
    expect((await mlflowApi(portal.url, tokens.admin, 'POST', 'not-a-real/endpoint', {})).status).toBe(404);
  });
});
