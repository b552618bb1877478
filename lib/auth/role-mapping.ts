import type { Config } from '@/lib/config';
import { highest, type Permission } from '@/lib/auth/permission';

type RoleConfig = Pick<Config, 'adminRoles' | 'editorRoles' | 'readerRoles' | 'defaultPermission'>;

/**
 * Roles → MLflow permission. The highest level any mapped role grants wins; a user with no
 * mapped role gets DESCOPE_DEFAULT_PERMISSION (so a mapped reader role can sit below an EDIT default).
 */
export function mlflowAccessFor(roles: readonly string[], config: RoleConfig): { permission: Permission; isAdmin: boolean } {
  const isAdmin = roles.some((role) => config.adminRoles.includes(role));
  const granted: Permission[] = [];
  if (isAdmin) granted.push('MANAGE');
  if (roles.some((role) => config.editorRoles.includes(role))) granted.push('EDIT');
  if (roles.some((role) => config.readerRoles.includes(role))) granted.push('READ');
  if (granted.length === 0) return { permission: config.defaultPermission, isAdmin };
  return { permission: highest(granted, 'NONE'), isAdmin };
}
