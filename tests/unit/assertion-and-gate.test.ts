import { describe, expect, it } from 'vitest';
import { jwtVerify, decodeProtectedHeader } from 'jose';
import type { Identity } from '@/lib/auth/identity';
import { createAssertionSigner, ASSERTION_AUDIENCE, ASSERTION_ISSUER } from '@/lib/gateway/assertion';
import { portalGate, DESCOPE_OWNS_USERS } from '@/lib/mlflow/portal-gate';
import { AUTH_APP_ROWS, ENDPOINT_ROWS, permissionMatcher } from '@/lib/mlflow/permissions';

const secret = new TextEncoder().encode('s'.repeat(40));
const identity = (overrides: Partial<Identity> = {}): Identity => ({
  userId: 'U1',
  username: 'ana@example.com',
  email: 'ana@example.com',
  name: 'Ana',
  roles: ['mlflow-editor', 'team-a'],
  permissions: [],
  tenants: ['T1'],
  tenantRoles: { T1: ['mlflow-reader'] },
  mlflowPermission: 'EDIT',
  isAdmin: false,
  via: 'cookie',
  ...overrides,
});

describe('the identity assertion sent to MLflow', () => {
  it('is an HS256 JWT for MLflow, short-lived, carrying who the caller is', async () => {
    const now = 1_800_000_000_000;
    const jwt = await createAssertionSigner(secret, () => now).assertionFor(identity());
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(jwt, secret, {
      algorithms: ['HS256'],
      audience: ASSERTION_AUDIENCE,
      issuer: ASSERTION_ISSUER,
      currentDate: new Date(now),
    });
    expect(payload).toMatchObject({
      sub: 'U1',
      username: 'ana@example.com',
      email: 'ana@example.com',
      name: 'Ana',
      admin: false,
      roles: ['mlflow-editor', 'team-a'],
      tenants: { T1: ['mlflow-reader'] },
    });
    expect(payload.exp! - payload.iat!).toBe(60);
  });

  it('is signed once per identity while it has time to live, then again', async () => {
    let now = 1_800_000_000_000;
    const signer = createAssertionSigner(secret, () => now);
    const ana = identity();
    const first = await signer.assertionFor(ana);
    now += 44_000;
    expect(await signer.assertionFor(ana)).toBe(first);
    now += 2_000; // 14 s left: less than the reuse margin
    expect(await signer.assertionFor(ana)).not.toBe(first);
    expect(await signer.assertionFor(identity({ isAdmin: true }))).not.toBe(first);
  });

  it('does not verify with another secret', async () => {
    const jwt = await createAssertionSigner(secret).assertionFor(identity());
    await expect(jwtVerify(jwt, new TextEncoder().encode('t'.repeat(40)))).rejects.toThrow();
  });
});

describe('what the portal itself requires of an MLflow call', () => {
  const roles = permissionMatcher('roles');
  const mlflow = permissionMatcher('mlflow');

  it('keeps the table in roles mode and lowers MANAGE to EDIT in mlflow mode (MLflow decides per resource)', () => {
    const remove = '/api/2.0/mlflow/experiments/delete';
    expect(portalGate(roles('POST', remove), 'roles')).toEqual({ kind: 'decide', requirement: { permission: 'MANAGE' } });
    expect(portalGate(mlflow('POST', remove), 'mlflow')).toEqual({ kind: 'decide', requirement: { permission: 'EDIT' } });
    const search = '/api/2.0/mlflow/experiments/search';
    expect(portalGate(mlflow('POST', search), 'mlflow')).toEqual({ kind: 'decide', requirement: { permission: 'READ' } });
  });

  it('keeps every admin-only row admin-only in both modes', () => {
    const adminOnly = ENDPOINT_ROWS.filter((row) => row.adminOnly);
    expect(adminOnly.map((row) => row.name)).toEqual(
      expect.arrayContaining(['assistant/message', 'assistant/update-config', 'webhooks', 'jobs/submit', 'workspaces/create']),
    );
    for (const row of adminOnly) {
      for (const authz of ['roles', 'mlflow'] as const) {
        const path = row.prefixes[0] + row.pattern.replace(/\{(\w+)(:path)?\}/g, 'x');
        expect(portalGate(permissionMatcher(authz)(row.methods[0], path), authz), `${authz} ${row.name}`).toEqual({
          kind: 'decide',
          requirement: { permission: 'MANAGE', admin: true },
        });
      }
    }
  });

  it('fails closed on routes it does not know, in both modes', () => {
    for (const authz of ['roles', 'mlflow'] as const) {
      expect(portalGate(permissionMatcher(authz)('POST', '/api/2.0/mlflow/unheard-of'), authz)).toEqual({
        kind: 'decide',
        requirement: { permission: 'MANAGE' },
      });
    }
  });

  it("lets MLflow's permission routes through only in mlflow mode, and never the user lifecycle", () => {
    expect(roles('POST', '/api/3.0/mlflow/users/permissions/grant').endpoint).toBeNull();
    expect(portalGate(mlflow('POST', '/api/3.0/mlflow/users/permissions/grant'), 'mlflow')).toEqual({ kind: 'decide', requirement: { permission: 'EDIT' } });
    expect(portalGate(mlflow('GET', '/ajax-api/2.0/mlflow/users/current'), 'mlflow')).toEqual({ kind: 'decide', requirement: { permission: 'READ' } });
    const lifecycle = AUTH_APP_ROWS.filter((row) => row.authApp === 'users');
    expect(lifecycle.map((row) => row.name).sort()).toEqual([
      'signup',
      'users/create',
      'users/create-ui',
      'users/delete',
      'users/update-admin',
      'users/update-password',
    ]);
    for (const row of lifecycle) {
      for (const prefix of row.prefixes)
        expect(portalGate(mlflow(row.methods[0], prefix + row.pattern), 'mlflow')).toEqual({ kind: 'refuse', message: DESCOPE_OWNS_USERS });
    }
  });
});
