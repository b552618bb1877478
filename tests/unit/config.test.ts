import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';

const base = { DESCOPE_PROJECT_ID: 'P2abcdefghijklmnopqrstuvwxyz12' };

describe('parseConfig', () => {
  it('applies the SPEC defaults', () => {
    const config = parseConfig(base);
    expect(config.flowId).toBe('sign-up-or-in');
    expect(config.adminRoles).toEqual(['admin', 'mlflow-admin']);
    expect(config.editorRoles).toEqual(['mlflow-editor']);
    expect(config.readerRoles).toEqual(['mlflow-reader']);
    expect(config.defaultPermission).toBe('READ');
    expect(config.usernameClaim).toBe('email');
    expect(config.authz).toBe('roles');
    expect(config.assertionSecret).toBeUndefined();
    expect(config.upstreamUrl.href).toBe('http://127.0.0.1:5000/');
    expect(config.upstreamTimeoutMs).toBe(60_000);
    expect(config.port).toBe(3000);
    expect(config.hostname).toBe('0.0.0.0');
    expect(config.redirectPath).toBe('/');
    expect(config.emulatorMode).toBe(false);
    expect(config.metrics).toBeUndefined();
  });

  it('serves metrics only with PORTAL_METRICS_PORT, on 127.0.0.1 unless PORTAL_METRICS_HOST says otherwise', () => {
    expect(parseConfig({ ...base, PORTAL_METRICS_HOST: '0.0.0.0' }).metrics).toBeUndefined();
    expect(parseConfig({ ...base, PORTAL_METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(parseConfig({ ...base, PORTAL_METRICS_PORT: '9464', PORTAL_METRICS_HOST: '10.0.0.5' }).metrics).toEqual({ port: 9464, host: '10.0.0.5' });
  });

  it('parses lists, permission words in any case, and detects the emulator', () => {
    const config = parseConfig({ ...base, DESCOPE_EDITOR_ROLES: ' a, b ,,c', DESCOPE_DEFAULT_PERMISSION: 'none', DESCOPE_BASE_URL: 'http://127.0.0.1:4400/' });
    expect(config.editorRoles).toEqual(['a', 'b', 'c']);
    expect(config.defaultPermission).toBe('NONE');
    expect(config.descopeBaseUrl).toBe('http://127.0.0.1:4400');
    expect(config.emulatorMode).toBe(true);
  });

  it('takes PORTAL_AUTHZ in any case, with the assertion secret as bytes', () => {
    const config = parseConfig({ ...base, PORTAL_AUTHZ: ' MLflow ', PORTAL_ASSERTION_SECRET: 'x'.repeat(32) });
    expect(config.authz).toBe('mlflow');
    expect(config.assertionSecret).toEqual(new TextEncoder().encode('x'.repeat(32)));
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ ...base, DESCOPE_BASE_URL: '', PORT: '' }).port).toBe(3000);
  });

  it.each([
    [{}, /^DESCOPE_PROJECT_ID is required: /],
    [{ ...base, DESCOPE_PROJECT_ID: 'has spaces!' }, /^DESCOPE_PROJECT_ID is invalid/],
    [{ ...base, DESCOPE_DEFAULT_PERMISSION: 'WRITE' }, /^DESCOPE_DEFAULT_PERMISSION is invalid \("WRITE"\): use one of NONE, READ, EDIT, MANAGE$/],
    [{ ...base, MLFLOW_UPSTREAM_URL: 'localhost:5000' }, /^MLFLOW_UPSTREAM_URL is invalid/],
    [{ ...base, MLFLOW_UPSTREAM_URL: 'ftp://x' }, /^MLFLOW_UPSTREAM_URL is invalid/],
    [{ ...base, MLFLOW_UPSTREAM_ID: 'short' }, /^MLFLOW_UPSTREAM_ID is invalid \("short"\): use 8–128 letters/],
    [{ ...base, DESCOPE_BASE_URL: 'not a url' }, /^DESCOPE_BASE_URL is invalid/],
    [{ ...base, PORTAL_PUBLIC_URL: '/relative' }, /^PORTAL_PUBLIC_URL is invalid/],
    [{ ...base, MLFLOW_UPSTREAM_TIMEOUT_MS: '0' }, /^MLFLOW_UPSTREAM_TIMEOUT_MS is invalid/],
    [{ ...base, MLFLOW_UPSTREAM_TIMEOUT_MS: 'soon' }, /^MLFLOW_UPSTREAM_TIMEOUT_MS is invalid/],
    [{ ...base, PORT: '70000' }, /^PORT is invalid/],
    [{ ...base, PORTAL_METRICS_PORT: 'metrics' }, /^PORTAL_METRICS_PORT is invalid \("metrics"\): use a port number/],
    [{ ...base, PORT: '3000', PORTAL_METRICS_PORT: '3000' }, /^PORTAL_METRICS_PORT is invalid \(3000, the same as PORT\)/],
    [{ ...base, DESCOPE_REDIRECT_URL: 'https://evil.com' }, /^DESCOPE_REDIRECT_URL is invalid/],
    [{ ...base, DESCOPE_REDIRECT_URL: '//evil.com' }, /^DESCOPE_REDIRECT_URL is invalid/],
    [{ ...base, DESCOPE_USERNAME_CLAIM: 'a b' }, /^DESCOPE_USERNAME_CLAIM is invalid/],
    [{ ...base, PORTAL_AUTHZ: 'rbac' }, /^PORTAL_AUTHZ is invalid \("rbac"\): use "roles"/],
    [{ ...base, PORTAL_AUTHZ: 'mlflow' }, /^PORTAL_ASSERTION_SECRET is required when PORTAL_AUTHZ=mlflow: /],
    // A short secret is described by its length, never echoed.
    [
      { ...base, PORTAL_AUTHZ: 'mlflow', PORTAL_ASSERTION_SECRET: 'hunter2-is-short' },
      /^PORTAL_ASSERTION_SECRET is invalid \(16 bytes\): use a random secret of at least 32 bytes/,
    ],
  ])('refuses %j with one line naming the variable and the fix', (env, message) => {
    let error: unknown;
    try {
      parseConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
