import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';
import { identityFromClaims } from '@/lib/auth/identity-from-claims';
import { callerWorkspaces, resolveWorkspace } from '@/lib/auth/workspace-access';
import { isWorkspaceName, tenantWorkspaceMap, workspaceSlug } from '@/lib/workspaces/tenant-workspaces';
import { workspaceOverview } from '@/lib/admin/workspace-overview';

const base = { DESCOPE_PROJECT_ID: 'P2project', PORTAL_AUTHZ: 'mlflow', PORTAL_ASSERTION_SECRET: 'x'.repeat(32), PORTAL_WORKSPACES: 'tenants' };
const config = (env: Record<string, string> = {}) => parseConfig({ ...base, ...env });
const identity = (claims: Record<string, unknown>, env: Record<string, string> = {}) =>
  identityFromClaims({ sub: 'U2x', iss: 'P2project', exp: 2e9, email: 'x@example.com', ...claims }, config(env), 'cookie');
const tenants = (roles: Record<string, string[]>) => Object.fromEntries(Object.entries(roles).map(([id, list]) => [id, { roles: list }]));

describe('workspace slugs', () => {
  it.each([
    ['T-acme', 't-acme'],
    ['T2abcXYZ', 't2abcxyz'],
    ['Acme Inc.', 'acme-inc'],
    ['__Ünïcode__ team', 'n-code-team'],
    ['a'.repeat(70), 'a'.repeat(63)],
    [`${'a'.repeat(62)}-b`, 'a'.repeat(62)],
  ])('%s → %s, a valid MLflow workspace name', (tenantId, slug) => {
    expect(workspaceSlug(tenantId)).toBe(slug);
    expect(isWorkspaceName(slug)).toBe(true);
  });

  it.each(['T', '-', '!!', 'é'])('%s has no usable slug', (tenantId) => expect(workspaceSlug(tenantId)).toBeUndefined());

  it('every generated slug is a valid name or none (fuzz)', () => {
    const alphabet = 'aZ09-_. é/\\';
    for (let i = 0; i < 2000; i++) {
      const id = Array.from({ length: 1 + (i % 80) }, (_, k) => alphabet[(i * 7 + k * 13) % alphabet.length]).join('');
      const slug = workspaceSlug(id);
      if (slug !== undefined) expect(isWorkspaceName(slug), id).toBe(true);
    }
  });
});

describe('DESCOPE_TENANT_WORKSPACES', () => {
  it('overrides win; other tenants get their slug; default and taken names are refused with the fix', () => {
    const map = tenantWorkspaceMap('T-acme=acme, T2xyz=globex');
    expect(map.workspaceOf('T-acme')).toEqual({ ok: true, name: 'acme', explicit: true });
    expect(map.workspaceOf('T-Other')).toEqual({ ok: true, name: 't-other', explicit: false });
    expect(map.workspaceOf('Default')).toMatchObject({ ok: false, reason: expect.stringContaining("DESCOPE_TENANT_WORKSPACES='Default=<workspace>'") });
    expect(map.workspaceOf('ACME')).toMatchObject({ ok: false, reason: expect.stringContaining('which DESCOPE_TENANT_WORKSPACES gives to tenant T-acme') });
    expect(map.workspaceOf('x')).toMatchObject({ ok: false });
  });

  it.each([
    ['T-acme', /not tenant=workspace/],
    ['=acme', /not tenant=workspace/],
    ['T-acme=Acme', /not an MLflow workspace name/],
    ['T-acme=a', /not an MLflow workspace name/],
    ['T-acme=acme,T-acme=other', /mapped twice/],
    ['T1=acme,T2=acme', /both map to workspace acme/],
  ])('%s is a config error naming the variable', (raw, reason) => {
    expect(() => config({ DESCOPE_TENANT_WORKSPACES: raw })).toThrow(ConfigError);
    expect(() => config({ DESCOPE_TENANT_WORKSPACES: raw })).toThrow(reason);
    expect(() => config({ DESCOPE_TENANT_WORKSPACES: raw })).toThrow(/^DESCOPE_TENANT_WORKSPACES is invalid/);
  });

  it('the mode needs PORTAL_AUTHZ=mlflow, excludes DESCOPE_TENANT_ID, and keeps an open default workspace tenant-free', () => {
    expect(() => parseConfig({ DESCOPE_PROJECT_ID: 'P2project', PORTAL_WORKSPACES: 'tenants' })).toThrow(/needs PORTAL_AUTHZ=mlflow/);
    expect(() => config({ DESCOPE_TENANT_ID: 'T-acme' })).toThrow(/DESCOPE_TENANT_ID cannot be combined/);
    expect(() => config({ PORTAL_DEFAULT_WORKSPACE: 'open', DESCOPE_TENANT_WORKSPACES: 'T1=default' })).toThrow(/opens to everyone/);
    expect(config({ DESCOPE_TENANT_WORKSPACES: 'T1=default' }).workspaces?.tenants.workspaceOf('T1')).toMatchObject({ ok: true, name: 'default' });
    expect(() => config({ PORTAL_WORKSPACES: 'yes' })).toThrow(/^PORTAL_WORKSPACES is invalid/);
    expect(parseConfig({ DESCOPE_PROJECT_ID: 'P2project' }).workspaces).toBeUndefined();
  });
});

describe('the caller’s workspaces and the active one', () => {
  it('each tenant’s roles decide the level there; project roles count too unless switched off', () => {
    const user = identity({ roles: ['mlflow-reader'], tenants: tenants({ 'T-acme': ['mlflow-editor'], 'T-Globex': [], 'T-Boss': ['admin'] }) });
    const levels = callerWorkspaces(user, config()).workspaces.map((w) => [w.name, w.permission, w.access]);
    // Same config object each time in production; here each call parses anew, so compare values.
    expect(levels).toEqual([
      ['t-acme', 'EDIT', 'USE'],
      ['t-boss', 'MANAGE', 'MANAGE'],
      ['t-globex', 'READ', 'USE'],
    ]);
    expect(user.isAdmin).toBe(false);
    const tenantOnly = config({ PORTAL_WORKSPACE_PROJECT_ROLES: 'false', DESCOPE_DEFAULT_PERMISSION: 'NONE' });
    const strict = identityFromClaims(
      {
        sub: 'U2y',
        iss: 'P2project',
        exp: 2e9,
        email: 'y@example.com',
        roles: ['mlflow-editor'],
        tenants: tenants({ 'T-acme': [], 'T-b': ['mlflow-reader'] }),
      },
      tenantOnly,
      'cookie',
    );
    expect(callerWorkspaces(strict, tenantOnly).workspaces.map((w) => [w.name, w.permission])).toEqual([['t-b', 'READ']]);
  });

  it('the header names the workspace; none means the first; a stranger’s is refused with the caller’s own listed', () => {
    const settings = config();
    const user = identityFromClaims(
      { sub: 'U2z', iss: 'P2project', exp: 2e9, email: 'z@example.com', tenants: tenants({ 'T-b': ['mlflow-editor'], 'T-a': ['mlflow-reader'] }) },
      settings,
      'cookie',
    );
    expect(resolveWorkspace(user, undefined, settings)).toMatchObject({ ok: true, active: { name: 't-a', permission: 'READ' } });
    expect(resolveWorkspace(user, ' t-b ', settings)).toMatchObject({ ok: true, active: { name: 't-b', permission: 'EDIT' } });
    expect(resolveWorkspace(user, 't-c', settings)).toEqual({
      ok: false,
      code: 'forbidden',
      message: 'you are not a member of workspace t-c (yours: t-a, t-b)',
    });
    expect(resolveWorkspace(user, 'default', settings)).toMatchObject({ ok: false, code: 'forbidden' });
    for (const bad of ['T-B', 't-a,t-b', 't_a', '-ab', 'a'.repeat(64)])
      expect(resolveWorkspace(user, bad, settings)).toMatchObject({ ok: false, code: 'bad_request' });
  });

  it('admins may name any workspace; with none they land in default', () => {
    const settings = config();
    const admin = identityFromClaims({ sub: 'U2a', iss: 'P2project', exp: 2e9, email: 'a@example.com', roles: ['admin'] }, settings, 'cookie');
    expect(resolveWorkspace(admin, 'anything', settings)).toMatchObject({ ok: true, active: { name: 'anything', permission: 'MANAGE', access: undefined } });
    expect(resolveWorkspace(admin, undefined, settings)).toMatchObject({ ok: true, active: { name: 'default' } });
  });

  it('the default workspace is closed unless PORTAL_DEFAULT_WORKSPACE=open, where project roles decide', () => {
    const closed = config();
    const loner = identityFromClaims({ sub: 'U2l', iss: 'P2project', exp: 2e9, email: 'l@example.com', roles: ['mlflow-editor'] }, closed, 'cookie');
    expect(resolveWorkspace(loner, undefined, closed)).toMatchObject({ ok: false, message: expect.stringMatching(/you belong to no Descope tenant/) });
    const open = config({ PORTAL_DEFAULT_WORKSPACE: 'open' });
    const welcome = identityFromClaims({ sub: 'U2m', iss: 'P2project', exp: 2e9, email: 'm@example.com', roles: ['mlflow-editor'] }, open, 'cookie');
    expect(resolveWorkspace(welcome, undefined, open)).toMatchObject({ ok: true, active: { name: 'default', permission: 'EDIT' } });
  });

  it('two of a caller’s tenants on one workspace: neither gets it, and the reason says so', () => {
    const settings = config();
    const user = identityFromClaims(
      {
        sub: 'U2c',
        iss: 'P2project',
        exp: 2e9,
        email: 'c@example.com',
        tenants: tenants({ 'T-acme': ['mlflow-editor'], t_acme: ['mlflow-editor'], 'T-ok': [] }),
      },
      settings,
      'cookie',
    );
    const { workspaces, problems } = callerWorkspaces(user, settings);
    expect(workspaces.map((w) => w.name)).toEqual(['t-ok']);
    expect(problems).toEqual(['tenants T-acme and t_acme both map to workspace t-acme: set DESCOPE_TENANT_WORKSPACES for one of them']);
    expect(resolveWorkspace(user, 't-acme', settings)).toMatchObject({ ok: false, code: 'forbidden' });
  });
});

describe('the admin page’s tenants ↔ workspaces table', () => {
  const settings = config({ DESCOPE_TENANT_WORKSPACES: 'T-acme=acme,T-team=legacy' }).workspaces!;
  const tenant = (id: string) => ({ id, name: `${id} Inc.` });
  const held = (...entries: [string, string | undefined][]) => ({
    ok: true as const,
    workspaces: entries.map(([name, ownerTenantId]) => ({ name, ownerTenantId })),
  });

  it('tells, per tenant, the workspace and whether it is ready, made on first use, or refused (and why)', () => {
    const overview = workspaceOverview(
      [tenant('T-acme'), tenant('T-Globex'), tenant('T-new'), tenant('T-team'), tenant('T-squat'), tenant('T'), tenant('t_new')],
      held(['acme', 'T-acme'], ['t-globex', 'T-Globex'], ['legacy', undefined], ['t-squat', undefined], ['old-team', 'T-gone'], ['default', undefined]),
      settings,
    );
    const byTenant = Object.fromEntries(overview.rows.map((row) => [row.tenant.id, row]));
    expect(byTenant['T-acme']).toMatchObject({ workspace: 'acme', explicit: true, state: 'ready' });
    expect(byTenant['T-Globex']).toMatchObject({ workspace: 't-globex', explicit: false, state: 'ready' });
    // An override adopts a workspace the portal did not make; a slug never does.
    expect(byTenant['T-team']).toMatchObject({ workspace: 'legacy', state: 'ready' });
    expect(byTenant['T-squat']).toMatchObject({ workspace: 't-squat', state: 'refused' });
    expect(byTenant['T-squat']!.note).toMatch(/DESCOPE_TENANT_WORKSPACES/);
    expect(byTenant.T).toMatchObject({ workspace: undefined, state: 'refused' });
    // Two tenants whose ids share a slug: whichever is used first keeps it; the table warns about both.
    expect(byTenant['T-new']).toMatchObject({ workspace: 't-new', state: 'first-use' });
    expect(byTenant['T-new']!.note).toMatch(/shares its name with tenant t_new/);
    expect(byTenant.t_new!.note).toMatch(/shares its name with tenant T-new/);
    // Workspaces no tenant uses (default aside) are named: a gone tenant's, and the refused one.
    expect(overview.unmapped.map((workspace) => workspace.name).sort()).toEqual(['old-team', 't-squat']);
  });

  it('a workspace MLflow holds for another tenant is refused for this one', () => {
    const [row] = workspaceOverview([tenant('T-new')], held(['t-new', 't_new']), settings).rows;
    expect(row).toMatchObject({ state: 'refused' });
    expect(row!.note).toBe('t-new belongs to tenant t_new: map this tenant elsewhere with DESCOPE_TENANT_WORKSPACES');
  });

  it('when MLflow’s list cannot be read, the mapping still shows, marked unknown, with the reason', () => {
    const overview = workspaceOverview([tenant('T-acme')], { ok: false, message: 'MLflow answered 503 listing its workspaces' }, settings);
    expect(overview.rows).toMatchObject([{ workspace: 'acme', state: 'unknown' }]);
    expect(overview.listingProblem).toBe('MLflow answered 503 listing its workspaces');
    expect(overview.unmapped).toEqual([]);
  });
});
