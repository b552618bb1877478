import { readFileSync } from 'node:fs';
import { z } from 'zod';

const names = z.array(z.string().min(1));

const roleSchema = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  permissionNames: names.default([]),
});

const tenantSchema = z.object({ id: z.string().min(1), name: z.string().min(1) });

export const userSchema = z.object({
  userId: z.string().min(1),
  loginIds: names.min(1),
  email: z.string().default(''),
  name: z.string().default(''),
  roleNames: names.default([]),
  // tenantName may appear in the file for readability; it is always derived from the tenant list.
  userTenants: z.array(z.object({ tenantId: z.string().min(1), roleNames: names.default([]) })).default([]),
  status: z.enum(['enabled', 'disabled', 'invited', 'expired']).default('enabled'),
});

const seedSchema = z.object({
  roles: z.array(roleSchema).optional(),
  tenants: z.array(tenantSchema).optional(),
  users: z.array(userSchema),
});

export type Role = z.infer<typeof roleSchema>;
export type Tenant = z.infer<typeof tenantSchema>;
export type User = z.infer<typeof userSchema> & { createdTime: number };

export interface Seed {
  roles: Role[];
  tenants: Tenant[];
  users: User[];
}

function readSeedFile(path: string | URL): z.infer<typeof seedSchema> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read users file ${String(path)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = seedSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid users file ${String(path)}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function assertConsistent({ roles, tenants, users }: Seed): void {
  const roleNames = new Set(roles.map((role) => role.name));
  const tenantIds = new Set(tenants.map((tenant) => tenant.id));
  const ids = new Set<string>();
  for (const user of users) {
    for (const id of [user.userId, ...user.loginIds]) {
      if (ids.has(id)) throw new Error(`duplicate user id or login id ${id}`);
      ids.add(id);
    }
    const assigned = [...user.roleNames, ...user.userTenants.flatMap((tenant) => tenant.roleNames)];
    const unknownRole = assigned.find((role) => !roleNames.has(role));
    if (unknownRole) throw new Error(`user ${user.loginIds[0]} has unknown role ${unknownRole}`);
    const unknownTenant = user.userTenants.find((tenant) => !tenantIds.has(tenant.tenantId));
    if (unknownTenant) throw new Error(`user ${user.loginIds[0]} is in unknown tenant ${unknownTenant.tenantId}`);
  }
}

/**
 * A fresh copy of the seed (each emulator owns and mutates its own). A custom users file has the
 * shape of users.json; when it omits `roles` or `tenants`, the bundled ones apply.
 */
export function loadSeed(usersFile?: string): Seed {
  const bundled = readSeedFile(new URL('./users.json', import.meta.url));
  const custom = usersFile ? readSeedFile(usersFile) : bundled;
  const createdTime = Math.floor(Date.now() / 1000);
  const seed: Seed = {
    roles: custom.roles ?? bundled.roles ?? [],
    tenants: custom.tenants ?? bundled.tenants ?? [],
    users: custom.users.map((user) => ({ ...user, createdTime })),
  };
  assertConsistent(seed);
  return seed;
}
