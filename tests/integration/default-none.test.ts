import { afterAll, beforeAll, expect, it } from 'vitest';
import { mlflowApi, startPortalHarness, type PortalHarness } from '@/tests/support/portal-harness';

let portal: PortalHarness;
beforeAll(async () => {
  portal = await startPortalHarness({ DESCOPE_DEFAULT_PERMISSION: 'NONE', DESCOPE_TENANT_ID: 'T-acme' });
});
afterAll(() => portal?.close());

it('with DESCOPE_DEFAULT_PERMISSION=NONE a role-less user is refused everything', async () => {
  const { sessionJwt } = await portal.session('norole@example.com');
  const search = await mlflowApi(portal.url, sessionJwt, 'POST', 'experiments/search', {});
  expect(search.status).toBe(403);
  expect(search.json.message).toMatch(/no MLflow access/);
});

it('with DESCOPE_TENANT_ID=T-acme the tenant editor role counts', async () => {
  const { sessionJwt } = await portal.session('tenant@example.com');
  expect((await mlflowApi(portal.url, sessionJwt, 'POST', 'experiments/create', { name: `acme-${Date.now()}` })).status).toBe(200);
});

it('a role-less user is stopped at login with an explanation, and gets no cookies', async () => {
  const { sessionJwt, refreshJwt } = await portal.session('norole@example.com');
  const stopped = await portal.runtime.establishSession(sessionJwt, refreshJwt, false);
  expect(stopped).toMatchObject({ ok: false, reason: 'no_access' });
  expect(!stopped.ok && stopped.message).toMatch(/norole@example\.com has no MLflow access.*mlflow-reader/);
  const reader = await portal.session('reader@example.com');
  const allowed = await portal.runtime.establishSession(reader.sessionJwt, reader.refreshJwt, false);
  expect(allowed.ok && allowed.setCookies).toHaveLength(2);
});

it("a session token paired with another user's refresh token is refused at login", async () => {
  const reader = await portal.session('reader@example.com');
  const editor = await portal.session('editor@example.com');
  expect(await portal.runtime.establishSession(reader.sessionJwt, editor.refreshJwt, false)).toMatchObject({ ok: false, reason: 'invalid' });
});
