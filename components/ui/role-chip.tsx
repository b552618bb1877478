import type { ReactNode } from 'react';

/** A role name as a small pill; `children` may add e.g. a remove button. */
export function RoleChip({ role, scope, children }: { role: string; scope?: string; children?: ReactNode }) {
  return (
    <span className="inline-flex max-w-full items-center gap-1 rounded-full border border-slate-200 bg-slate-50 py-0.5 pl-2.5 pr-1.5 text-xs font-medium text-slate-800">
      <span className="truncate">{role}</span>
      {scope && <span className="truncate font-normal text-slate-500">@ {scope}</span>}
      {children}
    </span>
  );
}

/** Roles as chips, or a quiet "none". */
export function RoleChips({ roles, scope, empty = 'none' }: { roles: readonly string[]; scope?: string; empty?: string }) {
  if (roles.length === 0) return <span className="text-sm text-slate-500">{empty}</span>;
  return (
    <ul className="flex flex-wrap gap-1.5">
      {roles.map((role) => (
        <li key={role} className="max-w-full">
          <RoleChip role={role} scope={scope} />
        </li>
      ))}
    </ul>
  );
}
