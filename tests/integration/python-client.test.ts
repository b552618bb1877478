import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolve } from 'node:path';
import DescopeClient from '@descope/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGEMENT_KEY, PROJECT_ID, startPortalHarness, type PortalHarness } from '@/tests/support/portal-harness';

const run = promisify(execFile);
const python = resolve('.cache/venv/bin/python');
const script = resolve('tests/support/mlflow_client_roundtrip.py');

let portal: PortalHarness;
let management: ReturnType<typeof DescopeClient>['management'];

async function roundtrip(env: Record<string, string>) {
  const result = await run(python, [script], {
    env: {
      ...process.env,
      MLFLOW_TRACKING_TOKEN: '',
      MLFLOW_TRACKING_USERNAME: '',
      MLFLOW_TRACKING_PASSWORD: '',
      MLFLOW_TRACKING_URI: `${portal.url}/mlflow`,
      MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0',
      MLFLOW_HTTP_REQUEST_TIMEOUT: '60',
      ...env,
    },
    maxBuffer: 1 << 20,
    timeout: 300_000,
  }).catch((error: { stdout?: string; code?: number }) => ({ stdout: error.stdout ?? '', code: error.code }));
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, any>;
}

async function editorKey(name: string) {
  const { data: user } = await management.user.load('editor@example.com');
  const created = await management.accessKey.create(name, 0, [], undefined, user!.userId);
  if (!created.ok || !created.data) throw new Error(`access key create failed: ${JSON.stringify(created.error)}`);
  return { cleartext: created.data.cleartext, id: created.data.key.id, userId: user!.userId };
}

beforeAll(async () => {
  portal = await startPortalHarness();
  management = DescopeClient({ projectId: PROJECT_ID, baseUrl: portal.emulator.url, managementKey: MANAGEMENT_KEY }).management;
});
afterAll(() => portal?.close());

describe('the stock mlflow client through the portal', () => {
  it('logs params, metrics, tags and a 200 MB artifact with an access key, byte-identical, tagged as the key owner', async () => {
    const key = await editorKey('ci-job');
    const seen = await roundtrip({ MLFLOW_TRACKING_TOKEN: key.cleartext, ARTIFACT_MB: '200', EXPERIMENT_NAME: `py-${Date.now()}` });
    expect(seen.error).toBeUndefined();
    expect(seen.artifact_identical).toBe(true);
    expect(seen.params).toEqual({ lr: '0.01' });
    expect(seen.loss_history).toHaveLength(5);
    // The MLflow user name is the owner's email (DESCOPE_USERNAME_CLAIM's default), the id its own tag.
    expect(seen.user_id).toBe('editor@example.com');
    expect(seen.tags['mlflow.user']).toBe('editor@example.com');
    expect(seen.tags['descope.email']).toBe('editor@example.com');
    expect(seen.tags['descope.user_id']).toBe(key.userId);
    expect(seen.tags.team).toBe('vision');
  }, 300_000);

  it('works with Basic auth (access key as password)', async () => {
    const key = await editorKey('basic-job');
    const seen = await roundtrip({ MLFLOW_TRACKING_USERNAME: 'ignored', MLFLOW_TRACKING_PASSWORD: key.cleartext, EXPERIMENT_NAME: `basic-${Date.now()}` });
    expect(seen.error).toBeUndefined();
    expect(seen.artifact_identical).toBe(true);
  });

  it('refuses a client with no token or a deleted key, and writes nothing upstream', async () => {
    const name = `refused-${Date.now()}`;
    const anonymous = await roundtrip({ EXPERIMENT_NAME: name });
    expect(anonymous.error).toMatch(/401|UNAUTHENTICATED/);
    const key = await editorKey('revoked-job');
    await management.accessKey.delete(key.id);
    const revoked = await roundtrip({ MLFLOW_TRACKING_TOKEN: key.cleartext, EXPERIMENT_NAME: name });
    expect(revoked.error).toMatch(/401|UNAUTHENTICATED/);
    const search = await fetch(`${portal.mlflowUrl}/api/2.0/mlflow/experiments/get-by-name?experiment_name=${name}`);
    expect(search.status).toBe(404);
  });
});
