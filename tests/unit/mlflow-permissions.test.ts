import { describe, expect, it } from 'vitest';
import { buildMatcher, ENDPOINT_ROWS, permissionFor, RUN_ENDPOINTS, type EndpointRow } from '@/lib/mlflow/permissions';

const level = (method: string, path: string) => permissionFor(method, path).permission;

describe('permissionFor', () => {
  it.each([
    ['GET', '/api/2.0/mlflow/experiments/get'],
    ['GET', '/api/2.0/mlflow/runs/get'],
    ['POST', '/api/2.0/mlflow/runs/search'],
    ['POST', '/api/2.0/mlflow/experiments/search'],
    ['GET', '/api/2.0/mlflow/registered-models/search'],
    ['GET', '/api/2.0/mlflow/model-versions/search'],
    ['POST', '/api/2.0/mlflow/logged-models/search'],
    ['POST', '/api/3.0/mlflow/traces/search'],
    ['GET', '/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval'],
    ['GET', '/ajax-api/3.0/mlflow/traces/tr-123'],
    ['GET', '/get-artifact'],
    ['GET', '/model-versions/get-artifact'],
    ['GET', '/api/2.0/mlflow/artifacts/list'],
    ['POST', '/graphql'],
    ['GET', '/health'],
    ['GET', '/version'],
    ['GET', '/api/3.0/mlflow/server-info'],
  ])('%s %s is a read', (method, path) => {
    expect(level(method, path)).toBe('READ');
  });

  it.each([
    ['POST', '/api/2.0/mlflow/experiments/create'],
    ['POST', '/api/2.0/mlflow/runs/create'],
    ['POST', '/api/2.0/mlflow/runs/log-batch'],
    ['POST', '/api/2.0/mlflow/runs/log-metric'],
    ['POST', '/api/2.0/mlflow/runs/set-tag'],
    ['POST', '/api/2.0/mlflow/runs/delete-tag'],
    ['POST', '/api/2.0/mlflow/registered-models/create'],
    ['POST', '/api/2.0/mlflow/model-versions/transition-stage'],
    ['POST', '/api/2.0/mlflow/registered-models/alias'],
    ['PATCH', '/ajax-api/3.0/mlflow/traces/tr-123/tags'],
    ['DELETE', '/api/2.0/mlflow/traces/tr-123/tags'],
    ['POST', '/api/3.0/mlflow/traces'],
    ['POST', '/v1/traces'],
    ['POST', '/api/3.0/mlflow/datasets/create'],
    ['POST', '/api/3.0/mlflow/scorers/register'],
  ])('%s %s is an edit', (method, path) => {
    expect(level(method, path)).toBe('EDIT');
  });

  it.each([
    ['POST', '/api/2.0/mlflow/experiments/delete'],
    ['POST', '/api/2.0/mlflow/experiments/restore'],
    ['POST', '/api/2.0/mlflow/experiments/update'],
    ['POST', '/api/2.0/mlflow/runs/delete'],
    ['POST', '/api/2.0/mlflow/runs/restore'],
    ['DELETE', '/api/2.0/mlflow/registered-models/delete'],
    ['POST', '/api/2.0/mlflow/registered-models/rename'],
    ['DELETE', '/api/2.0/mlflow/model-versions/delete'],
    ['POST', '/api/3.0/mlflow/traces/delete-traces'],
    ['DELETE', '/api/2.0/mlflow/logged-models/m-1'],
    ['POST', '/api/3.0/mlflow/gateway/secrets/create'],
    ['POST', '/api/2.0/mlflow/webhooks'],
    ['POST', '/ajax-api/3.0/jobs/'],
    ['POST', '/ajax-api/3.0/mlflow/assistant/message'],
  ])('%s %s needs MANAGE', (method, path) => {
    expect(permissionFor(method, path)).toMatchObject({ permission: 'MANAGE', endpoint: expect.any(String) });
  });

  it('fails closed on paths no row knows, naming no endpoint', () => {
    for (const path of [
      '/api/2.0/mlflow/runs/frobnicate',
      '/api/2.0/preview/mlflow/runs/search',
      '/admin',
      '/api/2.0/mlflow/runs/create/',
      '/API/2.0/mlflow/runs/search',
    ]) {
      expect(permissionFor('POST', path)).toEqual({ permission: 'MANAGE', endpoint: null });
    }
  });

  it('matches the method as well as the path', () => {
    expect(permissionFor('DELETE', '/api/2.0/mlflow/runs/search')).toEqual({ permission: 'MANAGE', endpoint: null });
    expect(permissionFor('GET', '/api/2.0/mlflow/runs/create')).toEqual({ permission: 'MANAGE', endpoint: null });
    expect(permissionFor('OPTIONS', '/api/2.0/mlflow/runs/get')).toEqual({ permission: 'MANAGE', endpoint: null });
    expect(permissionFor('HEAD', '/api/2.0/mlflow/runs/get')).toEqual({ permission: 'READ', endpoint: 'runs/get' });
  });

  it('serves each endpoint only under the prefixes MLflow registers it', () => {
    for (const prefix of ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow']) {
      expect(permissionFor('POST', `${prefix}/runs/create`)).toEqual({ permission: 'EDIT', endpoint: RUN_ENDPOINTS.create });
    }
    expect(permissionFor('POST', '/api/3.0/mlflow/runs/create').endpoint).toBeNull();
    for (const prefix of ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow', '/api/3.0/mlflow', '/ajax-api/3.0/mlflow']) {
      expect(permissionFor('POST', `${prefix}/traces`)).toEqual({ permission: 'EDIT', endpoint: 'traces/start' });
    }
    expect(permissionFor('POST', '/api/3.0/mlflow/datasets/create').endpoint).toBe('datasets/create');
    expect(permissionFor('POST', '/api/2.0/mlflow/datasets/create').endpoint).toBeNull();
    expect(permissionFor('GET', '/ajax-api/2.0/mlflow/metrics/get-history-bulk').permission).toBe('READ');
    expect(permissionFor('GET', '/api/2.0/mlflow/metrics/get-history-bulk').endpoint).toBeNull();
  });

  it('tells artifact upload, download and delete apart', () => {
    const artifact = '/api/2.0/mlflow-artifacts/artifacts/1/0a1b/artifacts/model/model.pkl';
    expect(permissionFor('GET', artifact)).toEqual({ permission: 'READ', endpoint: 'mlflow-artifacts/download' });
    expect(permissionFor('PUT', artifact)).toEqual({ permission: 'EDIT', endpoint: 'mlflow-artifacts/upload' });
    expect(permissionFor('DELETE', artifact)).toEqual({ permission: 'MANAGE', endpoint: 'mlflow-artifacts/delete' });
    expect(level('GET', '/ajax-api/2.0/mlflow-artifacts/artifacts')).toBe('READ');
    expect(level('POST', '/api/2.0/mlflow-artifacts/mpu/create/1/0a1b/artifacts/big.bin')).toBe('EDIT');
    expect(permissionFor('PUT', '/api/2.0/mlflow-artifacts/artifacts/').endpoint).toBeNull();
  });

  it('lets readers load the UI and its static files', () => {
    expect(permissionFor('GET', '/')).toEqual({ permission: 'READ', endpoint: 'ui/index' });
    expect(level('GET', '/static-files/static/js/main.0a1b2c.js')).toBe('READ');
    expect(level('HEAD', '/static-files/favicon.ico')).toBe('READ');
    expect(level('POST', '/static-files/static/js/main.js')).toBe('MANAGE');
  });

  it('judges overlapping patterns by the strictest match, and literal paths first', () => {
    expect(permissionFor('GET', '/api/3.0/mlflow/traces/batchGet').endpoint).toBe('traces/batch-get');
    expect(permissionFor('DELETE', '/api/3.0/mlflow/mcp-servers/com.example/srv/tags/team/owner')).toEqual({
      permission: 'EDIT',
      endpoint: 'mcp-servers/delete-tag',
    });
    expect(permissionFor('DELETE', '/api/3.0/mlflow/mcp-servers/com.example/srv')).toEqual({ permission: 'MANAGE', endpoint: 'mcp-servers/delete' });
    const rows: EndpointRow[] = [
      { methods: ['POST'], pattern: 'things/{id}', permission: 'READ', name: 'things/read', prefixes: ['/x/'] },
      { methods: ['POST'], pattern: '{kind}/{id}', permission: 'MANAGE', name: 'any/manage', prefixes: ['/x/'] },
    ];
    const overlapping = buildMatcher(rows);
    expect(overlapping('POST', '/x/things/1')).toEqual({ permission: 'MANAGE', endpoint: 'any/manage' });
  });

  it('refuses a table that lists one literal route twice or a rest wildcard mid-path', () => {
    const row = ENDPOINT_ROWS.find((candidate) => candidate.name === RUN_ENDPOINTS.create);
    expect(row).toBeDefined();
    if (row) expect(() => buildMatcher([row, row])).toThrow(/listed twice/);
    expect(() => buildMatcher([{ methods: ['GET'], pattern: 'a/{p:path}/b', permission: 'READ', name: 'bad', prefixes: ['/'] }])).toThrow(/must end/);
  });
});
