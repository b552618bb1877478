import type { Permission } from '@/lib/auth/permission';

/** Who is calling, after authentication; everything downstream decides on this alone. */
export interface Identity {
  userId: string;
  /** The MLflow user name (claim chosen by DESCOPE_USERNAME_CLAIM). */
  username: string;
  email: string;
  name: string;
  /** Project roles plus, when DESCOPE_TENANT_ID is set, that tenant's roles. */
  roles: string[];
  permissions: string[];
  /** Tenant ids the user belongs to. */
  tenants: string[];
  /** Per-tenant roles as found in the token, for display. */
  tenantRoles: Record<string, string[]>;
  mlflowPermission: Permission;
  isAdmin: boolean;
  /** How the caller proved who they are. */
  via: 'cookie' | 'bearer-session' | 'access-key';
}
