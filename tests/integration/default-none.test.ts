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
