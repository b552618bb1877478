import type { Identity } from '@/lib/auth/identity';

/** The emulator's demo admin (tools/descope-emulator/users.json) as a signed-in browser session. */
export const DEMO_ADMIN: Identity = {
  userId: 'U2emuAdmin000000000000000001',
  username: 'U2emuAdmin000000000000000001',
  email: 'admin@example.com',
  name: 'Ada Admin',
  roles: ['admin'],
  permissions: [],
  tenants: [],
  tenantRoles: {},
  mlflowPermission: 'MANAGE',
  isAdmin: true,
  via: 'cookie',
};
