import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { identityFromClaims } from '@/lib/auth/identity-from-claims';

const claims = (over: Record<string, unknown> = {}) => ({ sub: 'U2x', iss: 'P2x', exp: 2e9, email: 'x@example.com', name: 'X', ...over });
const config = (env: Record<string, string> = {}) => parseConfig({ DESCOPE_PROJECT_ID: 'P2project', ...env });

describe('identityFromClaims', () => {
  it('maps roles to the highest MLflow permission', () => {
    expect(identityFromClaims(claims({ roles: ['mlflow-reader'] }), config(), 'cookie').mlflowPermission).toBe('READ');
    expect(identityFromClaims(claims({ roles: ['mlflow-reader', 'mlflow-editor'] }), config(), 'cookie').mlflowPermission).toBe('EDIT');
    const admin = identityFromClaims(claims({ roles: ['admin'] }), config(), 'cookie');
    expect([admin.mlflowPermission, admin.isAdmin]).toEqual(['MANAGE', true]);
  });

  it('falls back to DESCOPE_DEFAULT_PERMISSION without a mapped role', () => {
    expect(identityFromClaims(claims({ roles: ['other'] }), config(), 'cookie').mlflowPermission).toBe('READ');
    expect(identityFromClaims(claims(), config({ DESCOPE_DEFAULT_PERMISSION: 'NONE' }), 'cookie').mlflowPermission).toBe('NONE');
  });

  it('counts tenant roles only for DESCOPE_TENANT_ID', () => {
    const tenantClaims = claims({ tenants: { 'T-acme': { roles: ['mlflow-editor'] }, 'T-other': { roles: ['admin'] } } });
    expect(identityFromClaims(tenantClaims, config({ DESCOPE_DEFAULT_PERMISSION: 'NONE' }), 'cookie').mlflowPermission).toBe('NONE');
    const acme = identityFromClaims(tenantClaims, config({ DESCOPE_DEFAULT_PERMISSION: 'NONE', DESCOPE_TENANT_ID: 'T-acme' }), 'cookie');
    expect([acme.mlflowPermission, acme.isAdmin, acme.tenants]).toEqual(['EDIT', false, ['T-acme', 'T-other']]);
  });

  it('takes the user name from DESCOPE_USERNAME_CLAIM (email by default), falling back to sub in role mode', () => {
    expect(identityFromClaims(claims(), config(), 'cookie').username).toBe('x@example.com');
    expect(identityFromClaims(claims(), config({ DESCOPE_USERNAME_CLAIM: 'sub' }), 'cookie').username).toBe('U2x');
    expect(identityFromClaims(claims(), config({ DESCOPE_USERNAME_CLAIM: 'missing' }), 'cookie').username).toBe('U2x');
  });

  it('leaves the user name empty without the claim when MLflow keys grants by it', () => {
    const mlflowMode = config({ PORTAL_AUTHZ: 'mlflow', PORTAL_ASSERTION_SECRET: 'x'.repeat(32) });
    expect(identityFromClaims(claims(), mlflowMode, 'cookie').username).toBe('x@example.com');
    expect(identityFromClaims(claims({ email: undefined }), mlflowMode, 'cookie').username).toBe('');
  });
});

describe('identityFromClaims memo', () => {
  it('builds one identity per verified claims object and configuration, frozen', () => {
    const acmeRoles = ['admin'];
    const verified = claims({ roles: ['mlflow-editor'], tenants: { 'T-acme': { roles: acmeRoles } } });
    const settings = config();
    const first = identityFromClaims(verified, settings, 'bearer-session');
    expect(identityFromClaims(verified, settings, 'bearer-session')).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.roles) && Object.isFrozen(first.tenantRoles['T-acme'])).toBe(true);
    // The token's own claims stay as they were.
    expect(Object.isFrozen(acmeRoles)).toBe(false);
  });

  it('does not reuse an identity across configurations or ways of signing in', () => {
    const verified = claims({ roles: ['other'] });
    const reader = identityFromClaims(verified, config(), 'cookie');
    const none = identityFromClaims(verified, config({ DESCOPE_DEFAULT_PERMISSION: 'NONE' }), 'cookie');
    expect([reader.mlflowPermission, none.mlflowPermission]).toEqual(['READ', 'NONE']);
    expect(identityFromClaims(verified, config(), 'access-key').via).toBe('access-key');
  });
});
