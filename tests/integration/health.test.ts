import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPortalHarness, type PortalHarness } from '@/tests/support/portal-harness';

let portal: PortalHarness;
let GET: () => Promise<Response>;
beforeAll(async () => {
  portal = await startPortalHarness();
  ({ GET } = await import('@/app/auth/health/route'));
});
afterAll(() => portal?.close());

const outage = (on: boolean) => fetch(`${portal.emulator.url}/emulator/outage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ on }) });

it('is 200 with MLflow and Descope reachable, and reports both', async () => {
  const response = await GET();
  const health = await response.json();
  expect(response.status).toBe(200);
  expect(health).toMatchObject({ status: 'ok', mlflow: { reachable: true, status: 200 }, descope: { reachable: true, circuit: 'closed' } });
  expect(health.mlflow.latencyMs).toBeGreaterThan(0);
  expect(health.descope.jwksKeys).toBeGreaterThan(0);
  expect(health.version).toMatch(/^\d+\.\d+\.\d+/);
});

it('is 503 while the Descope outage switch is on, and recovers after', async () => {
  await outage(true);
  try {
    const response = await GET();
    expect(response.status).toBe(503);
    expect((await response.json()).descope.reachable).toBe(false);
  } finally {
    await outage(false);
  }
  // The breaker may still be open from the outage; health recovers once it lets a trial through.
  portal.runtime.descope.breaker.recordSuccess();
  expect((await GET()).status).toBe(200);
});
