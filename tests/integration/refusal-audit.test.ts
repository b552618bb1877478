import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mlflowApi, startPortalHarness, type PortalHarness } from '@/tests/support/portal-harness';

/** The audit trail records refused writes (who, what, why) and none of the reads around them. */
const auditFile = resolve('.cache/it-refusal-audit.log');
const READER_ID = 'U2emuReader00000000000000003';
let portal: PortalHarness;

beforeAll(async () => {
  rmSync(auditFile, { force: true });
  portal = await startPortalHarness({ PORTAL_AUDIT_LOG: auditFile });
});
afterAll(() => portal?.close());

const ui = (cookie: string, method: string, endpoint: string, body?: unknown) =>
  fetch(`${portal.url}/mlflow/ajax-api/2.0/mlflow/${endpoint}`, {
    method,
    headers: {
      cookie,
      origin: portal.url,
      'sec-fetch-site': 'same-origin',
      accept: 'application/json',
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });

it("audits a reader's refused writes from the API and the UI, and an anonymous one, but not the UI's users/current probe or reads", async () => {
  const reader = await portal.session('reader@example.com');
  const cookie = `DS=${reader.sessionJwt}; DSR=${reader.refreshJwt}`;
  expect((await mlflowApi(portal.url, reader.sessionJwt, 'POST', 'experiments/create', { name: 'refused-api' })).status).toBe(403);
  expect((await ui(cookie, 'POST', 'experiments/create', { name: 'refused-ui' })).status).toBe(403);
  expect((await mlflowApi(portal.url, undefined, 'POST', 'runs/create', { experiment_id: '0' })).status).toBe(401);
  // What MLflow's UI sends on its own: the current-user probe, and searches.
  await (await ui(cookie, 'GET', 'users/current')).arrayBuffer();
  expect((await ui(cookie, 'POST', 'experiments/search', { max_results: 1 })).status).toBe(200);

  const events = await portal.runtime.audit.recent({ actionPrefixes: ['mlflow.'], limit: 50 });
  expect(events.reverse()).toEqual([
    expect.objectContaining({
      actorId: READER_ID,
      actor: 'reader@example.com',
      action: 'mlflow.experiments/create',
      target: '/mlflow/api/2.0/mlflow/experiments/create',
      result: 'denied',
      status: 403,
      detail: 'this needs EDIT permission; yours is READ',
    }),
    expect.objectContaining({
      actorId: READER_ID,
      action: 'mlflow.experiments/create',
      target: '/mlflow/ajax-api/2.0/mlflow/experiments/create',
      result: 'denied',
      status: 403,
      detail: 'this needs EDIT permission; yours is READ',
    }),
    expect.objectContaining({ actorId: '', actor: 'unauthenticated', action: 'mlflow.runs/create', result: 'denied', status: 401 }),
  ]);
  expect(events.some((event) => event.target.includes('users/current'))).toBe(false);
});
