import { z } from 'zod';
import { invalidArguments } from './http';
import type { Directory } from './directory';
import type { User } from './seed';

const names = z.array(z.string());

/** The fields of Descope's user search the emulator honours; others (sort, customAttributes, …) are ignored. */
export const userSearchSchema = z.object({
  text: z.string().optional(),
  page: z.number().int().min(0).default(0),
  // Descope treats a missing or zero limit as its default page size.
  limit: z
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(0)
    .transform((limit) => limit || 100),
  roleNames: names.optional(),
  tenantIds: names.optional(),
  loginIds: names.optional(),
  emails: names.optional(),
  userIds: names.optional(),
  statuses: names.optional(),
});

export type UserSearch = z.infer<typeof userSearchSchema>;

const anyOf = (wanted: string[] | undefined, have: readonly string[]) => !wanted?.length || wanted.some((value) => have.includes(value));

function matches(user: User, query: UserSearch): boolean {
  const text = query.text?.trim().toLowerCase();
  const haystack = [user.userId, user.email, user.name, ...user.loginIds].map((value) => value.toLowerCase());
  // A role matches whether it is held project-wide or in any tenant.
  const roles = [...user.roleNames, ...user.userTenants.flatMap((tenant) => tenant.roleNames)];
  return (
    (!text || haystack.some((value) => value.includes(text))) &&
    anyOf(query.roleNames, roles) &&
    anyOf(
      query.tenantIds,
      user.userTenants.map((tenant) => tenant.tenantId),
    ) &&
    anyOf(query.loginIds, user.loginIds) &&
    anyOf(query.emails, [user.email]) &&
    anyOf(query.userIds, [user.userId]) &&
    anyOf(query.statuses, [user.status])
  );
}

export function searchUsers(directory: Directory, query: UserSearch): { users: User[]; total: number } {
  const found = directory.users.filter((user) => matches(user, query));
  const start = query.page * query.limit;
  return { users: found.slice(start, start + query.limit), total: found.length };
}

export const roleChangeSchema = z.object({
  loginId: z.string().min(1),
  roleNames: names,
  tenantId: z.string().min(1).optional(),
});

export type RoleChange = z.infer<typeof roleChangeSchema>;
export type RoleOperation = 'set' | 'add' | 'remove';

function apply(operation: RoleOperation, current: string[], roleNames: string[]): string[] {
  if (operation === 'set') return [...new Set(roleNames)];
  if (operation === 'add') return [...new Set([...current, ...roleNames])];
  return current.filter((role) => !roleNames.includes(role));
}

/**
 * Project roles without `tenantId`, that tenant's roles with it. Setting or adding a tenant role
 * for a user outside the tenant adds the tenant, as Descope does.
 */
export function changeRoles(directory: Directory, operation: RoleOperation, change: RoleChange): User {
  const user = directory.requireUser(change.loginId);
  directory.requireRoles(change.roleNames);
  if (!change.tenantId) {
    user.roleNames = apply(operation, user.roleNames, change.roleNames);
    return user;
  }
  const { id } = directory.requireTenant(change.tenantId);
  let membership = user.userTenants.find((tenant) => tenant.tenantId === id);
  if (!membership) {
    if (operation === 'remove') throw invalidArguments(`user ${change.loginId} is not a member of tenant ${id}`);
    membership = { tenantId: id, roleNames: [] };
    user.userTenants.push(membership);
  }
  membership.roleNames = apply(operation, membership.roleNames, change.roleNames);
  return user;
}

export const tenantChangeSchema = z.object({ loginId: z.string().min(1), tenantId: z.string().min(1) });

/** The SDK's addTenant / removeTenant: membership with no roles, or none at all. */
export function changeTenant(directory: Directory, operation: 'add' | 'remove', change: z.infer<typeof tenantChangeSchema>): User {
  const user = directory.requireUser(change.loginId);
  const { id } = directory.requireTenant(change.tenantId);
  const member = user.userTenants.some((tenant) => tenant.tenantId === id);
  if (operation === 'add' && !member) user.userTenants.push({ tenantId: id, roleNames: [] });
  if (operation === 'remove') {
    if (!member) throw invalidArguments(`user ${change.loginId} is not a member of tenant ${id}`);
    user.userTenants = user.userTenants.filter((tenant) => tenant.tenantId !== id);
  }
  return user;
}

export const statusChangeSchema = z.object({ loginId: z.string().min(1), status: z.enum(['enabled', 'disabled']) });

export const logoutSchema = z
  .object({ loginId: z.string().min(1).optional(), userId: z.string().min(1).optional() })
  .refine((body) => body.loginId !== undefined || body.userId !== undefined, 'loginId or userId is required');
