import DescopeClient from '@descope/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@/lib/auth/identity';
import { keyRefusals } from '@/lib/auth/access-key-refusals';
import { createKeyFor, revokeKeyFor } from '@/lib/profile/access-keys';
import { MANAGEMENT_KEY, PROJECT_ID, mlflowApi, startPortalHarness, type PortalHarness } from '@/tests/support/portal-harness';

/** Access keys through the portal against the real MLflow: scoped keys, and 401s a CI job can act on. */
let portal: PortalHarness;
let sdk: ReturnType<typeof DescopeClient>;
beforeAll(async () => {
  portal = await startPortalHarness({ MLFLOW_UPSTREAM_TIMEOUT_MS: '60000' });
  sdk = DescopeClient({ projectId: PROJECT_ID, baseUrl: portal.emulator.url, managementKey: MANAGEMENT_KEY });
});
afterAll(() => portal?.close());

const noAudit = () => undefined;
const deps = () => ({ management: portal.runtime.management, audit: noAudit, now: Date.now, forgetKey: portal.runtime.forgetKey });
const ownerIdentity = async (loginId: string): Promise<Identity> => {
  const { data } = await sdk.management.user.load(loginId);
  return {
    userId: data!.userId,
    username: data!.userId,
    email: loginId,
    name: '',
    roles: data!.roleNames ?? [],
    permissions: [],
    tenants: [],
    tenantRoles: {},
    mlflowPermission: 'EDIT',
    isAdmin: false,
    via: 'cookie',
  };
};
async function newKey(owner: Identity, input: Record<string, unknown>) {
  const created = await createKeyFor(owner, { expiry: '30', ...input }, `${portal.url}/mlflow`, deps());
  if (!created.ok) throw new Error(created.message);
  return created.data;
}
const create = (key: string, name: string) => mlflowApi(portal.url, key, 'POST', 'experiments/create', { name: `${name}-${Date.now()}` });
const search = (key: string) => mlflowApi(portal.url, key, 'POST', 'experiments/search', { max_results: 1 });

describe("a key limited to some of its owner's roles", () => {
  it("a read-only key of an editor reads but cannot write; the owner's unscoped key can; losing the role retires the scoped key", async () => {
    await sdk.management.user.setRoles('editor@example.com', ['mlflow-editor', 'mlflow-reader']);
    const owner = await ownerIdentity('editor@example.com');
    const readOnly = await newKey(owner, { name: 'dashboard', roles: ['mlflow-reader'] });
    const full = await newKey(owner, { name: 'training' });
    expect(readOnly.key.scope).toEqual(['mlflow-reader']);

    expect((await search(readOnly.cleartext)).status).toBe(200);
    const refused = await create(readOnly.cleartext, 'scoped');
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({ error_code: 'PERMISSION_DENIED', message: 'this needs EDIT permission; yours is READ' });
    expect((await mlflowApi(portal.url, readOnly.cleartext, 'POST', 'runs/create', { experiment_id: '0' })).status).toBe(403);
    expect((await create(full.cleartext, 'unscoped')).status).toBe(200);

    await sdk.management.user.setRoles('editor@example.com', ['mlflow-editor']);
    portal.runtime.forgetUser(owner.userId);
    const retired = await search(readOnly.cleartext);
    expect(retired.status).toBe(401);
    expect(retired.json.message).toBe(keyRefusals.scopeGone(['mlflow-reader']));
    expect((await create(full.cleartext, 'still-editor')).status).toBe(200);
  });
});

describe('why a key is refused', () => {
  it('says malformed, unknown, revoked, expired, deactivated or owner disabled, and never names a key id', async () => {
    const reader = await ownerIdentity('reader@example.com');
    const answers: string[] = [];
    const refusal = async (key: string) => {
      const answer = await search(key);
      expect(answer.status).toBe(401);
      expect(answer.json.error_code).toBe('UNAUTHENTICATED');
      answers.push(answer.json.message);
      return answer.json.message as string;
    };

    expect(await refusal('not-a-key')).toBe(keyRefusals.malformed);
    expect(await refusal('Z'.repeat(43))).toBe(keyRefusals.unknown);

    const revoked = await newKey(reader, { name: 'revoked' });
    expect((await search(revoked.cleartext)).status).toBe(200);
    expect((await revokeKeyFor(reader, { keyId: revoked.key.id }, deps())).ok).toBe(true);
    expect(await refusal(revoked.cleartext)).toBe(keyRefusals.revoked);

    const expiresAt = Math.floor(Date.now() / 1000) + 2;
    const expiring = (await sdk.management.accessKey.create('expiring', expiresAt, [], undefined, reader.userId)).data!;
    expect((await search(expiring.cleartext)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await refusal(expiring.cleartext)).toBe(keyRefusals.expired(expiresAt * 1000));

    const paused = await newKey(reader, { name: 'paused' });
    expect((await search(paused.cleartext)).status).toBe(200);
    await sdk.management.accessKey.deactivate(paused.key.id);
    portal.runtime.accessKeys.forgetOwner(reader.userId);
    expect(await refusal(paused.cleartext)).toBe(keyRefusals.noLongerAccepted);

    const ofDisabled = await newKey(reader, { name: 'owner disabled' });
    await sdk.management.user.deactivate('reader@example.com');
    try {
      expect(await refusal(ofDisabled.cleartext)).toBe(keyRefusals.ownerDisabled);
    } finally {
      await sdk.management.user.activate('reader@example.com');
    }
    for (const message of answers) expect(message).not.toMatch(/K2[\w-]{6,}/);
  });
});
