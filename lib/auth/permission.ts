/** MLflow permission levels, ordered. Admin is MANAGE plus access to /admin. */
export const PERMISSIONS = ['NONE', 'READ', 'EDIT', 'MANAGE'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const rank: Record<Permission, number> = { NONE: 0, READ: 1, EDIT: 2, MANAGE: 3 };

export function permits(granted: Permission, needed: Permission): boolean {
  return rank[granted] >= rank[needed];
}

export function highest(levels: Iterable<Permission>, floor: Permission): Permission {
  let best = floor;
  for (const level of levels) if (rank[level] > rank[best]) best = level;
  return best;
}
