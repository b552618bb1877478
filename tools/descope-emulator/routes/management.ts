import { requireManagementKey } from '../credentials';
import { badRequest, notFound, readJson } from '../http';
import { get, post, type Handler, type Route } from '../router';
import type { User } from '../seed';
import type { EmulatorState } from '../state';
import {
  changeRoles,
  changeTenant,
  logoutSchema,
  tenantChangeSchema,
  roleChangeSchema,
  searchUsers,
  statusChangeSchema,
  userSearchSchema,
  type RoleOperation,
} from '../users';
import { accessKeyRoutes } from './access-keys';

/** Management endpoints for users, roles, tenants and the license handshake; access keys live apart. */
export function managementRoutes(state: EmulatorState): Route[] {
  const { directory } = state;
  const userJson = (user: User) => ({ user: directory.userResponse(user) });
  const roleChange =
    (operation: RoleOperation): Handler =>
    async ({ req }) => {
      const change = await readJson(req, roleChangeSchema);
      return userJson(state.mutate(() => changeRoles(directory, operation, change)));
    };

  const routes: Route[] = [
    get('/v1/mgmt/license', () => ({ rateLimitTier: 'free' })),
    post('/v2/mgmt/user/search', async ({ req }) => {
      const { users, total } = searchUsers(directory, await readJson(req, userSearchSchema));
      return { users: users.map((user) => directory.userResponse(user)), total };
    }),
    // One path serves both SDK calls: load(loginId) sends ?loginId=, loadByUserId(userId) sends ?userId=.
    get('/v1/mgmt/user', ({ query }) => {
      const id = query.get('loginId') || query.get('userId');
      if (!id) throw badRequest('loginId or userId is required');
      return userJson(directory.requireUser(id));
    }),
    post('/v1/mgmt/user/update/role/set', roleChange('set')),
    post('/v2/mgmt/user/update/role/add', roleChange('add')),
    post('/v1/mgmt/user/update/role/remove', roleChange('remove')),
    ...(['add', 'remove'] as const).map((operation) =>
      post(`/v1/mgmt/user/update/tenant/${operation}`, async ({ req }) => {
        const change = await readJson(req, tenantChangeSchema);
        return userJson(state.mutate(() => changeTenant(directory, operation, change)));
      }),
    ),
    // The SDK's activate/deactivate: a disabled user can neither sign in nor refresh.
    post('/v1/mgmt/user/update/status', async ({ req }) => {
      const { loginId, status } = await readJson(req, statusChangeSchema);
      const user = directory.requireUser(loginId);
      return userJson(state.mutate(() => Object.assign(user, { status })));
    }),
    // The SDK's logoutUser (`{loginId}`) and logoutUserByUserId (`{userId}`): every session ends.
    post('/v1/mgmt/user/logout', async ({ req }) => {
      const { loginId, userId } = await readJson(req, logoutSchema);
      state.endSessionsOf(directory.requireUser(loginId ?? userId ?? '').userId);
      return {};
    }),
    get('/v1/mgmt/role/all', () => ({
      roles: directory.roles.map((role) => ({ ...role, permissionNames: [...role.permissionNames], createdTime: 0 })),
    })),
    get('/v1/mgmt/tenant/all', () => ({ tenants: directory.tenants.map(tenantJson) })),
    // Descope answers a single tenant at the top level, not wrapped.
    get('/v1/mgmt/tenant', ({ query }) => {
      const tenant = directory.tenants.find((candidate) => candidate.id === query.get('id'));
      if (!tenant) throw notFound(`no tenant ${query.get('id') ?? ''}`);
      return tenantJson(tenant);
    }),
    ...accessKeyRoutes(state),
  ];
  return routes.map((route) => ({ ...route, handler: withManagementKey(state, route.handler) }));
}

const tenantJson = (tenant: { id: string; name: string }) => ({ id: tenant.id, name: tenant.name, selfProvisioningDomains: [], createdTime: 0 });

function withManagementKey(state: EmulatorState, handler: Handler): Handler {
  return (ctx) => {
    requireManagementKey(ctx.req, state.projectId, state.managementKey);
    return handler(ctx);
  };
}
