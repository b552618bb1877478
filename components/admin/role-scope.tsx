'use client';

import { RoleChip } from '@/components/ui/role-chip';

interface RoleScopeProps {
  title: string;
  roles: string[];
  /** Absent for project-level roles. */
  tenant?: { id: string; name: string };
  disabled: boolean;
  onRemove(role: string): void;
}

/** One scope's roles (the project, or one tenant), each with its own remove button. */
export function RoleScope({ title, roles, tenant, disabled, onRemove }: RoleScopeProps) {
  const where = tenant ? `in ${tenant.name}` : 'project-wide';
  return (
    <div>
      <h3 className="text-sm font-medium text-slate-700">{title}</h3>
      {roles.length === 0 ? (
        <p className="mt-1 text-sm text-slate-500">No role {where}.</p>
      ) : (
        <ul className="mt-2 flex flex-wrap gap-2" aria-label={`Roles ${where}`}>
          {roles.map((role) => (
            <li key={role} className="max-w-full">
              <RoleChip role={role}>
                <button
                  type="button"
                  disabled={disabled}
                  onClick={() => onRemove(role)}
                  aria-label={`Remove ${role} ${where}`}
                  className="grid h-5 w-5 place-items-center rounded-full text-slate-500 hover:bg-red-100 hover:text-red-700 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 disabled:opacity-50"
                >
                  <span aria-hidden>×</span>
                </button>
              </RoleChip>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
