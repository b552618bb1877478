import Link from 'next/link';
import type { UserRow } from '@/lib/admin/queries';
import { PermissionBadge } from '@/components/permission-badge';
import { RoleChips } from '@/components/ui/role-chip';

export const userHref = (loginId: string) => `/admin/users/${encodeURIComponent(loginId)}`;

function RolesOf({ row }: { row: UserRow }) {
  const tenantRoles = row.user.tenants.flatMap((tenant) => tenant.roles.map((role) => ({ role, tenant: tenant.tenantName })));
  if (row.user.roles.length === 0 && tenantRoles.length === 0) return <span className="text-slate-500">no role</span>;
  return (
    <div className="flex flex-wrap gap-1.5">
      <RoleChips roles={row.user.roles} empty="" />
      {tenantRoles.map(({ role, tenant }) => (
        <RoleChips key={`${tenant}/${role}`} roles={[role]} scope={tenant} />
      ))}
    </div>
  );
}

/** Their MLflow level; with tenants as workspaces, one per workspace (admins manage every one). */
function LevelOf({ row }: { row: UserRow }) {
  if (!row.workspaces || row.access.isAdmin) return <PermissionBadge permission={row.access.permission} isAdmin={row.access.isAdmin} />;
  if (row.workspaces.length === 0) return <span className="text-slate-500">no workspace</span>;
  return (
    <ul className="space-y-1" data-testid="user-workspaces">
      {row.workspaces.map((workspace) => (
        <li key={workspace.name} className="flex items-center gap-2">
          <code className="font-mono text-xs">{workspace.name}</code>
          <PermissionBadge permission={workspace.permission} isAdmin={workspace.access === 'MANAGE'} />
        </li>
      ))}
    </ul>
  );
}

/** The directory page. Below 768 px roles, and below 640 px the permission, fold under the name. */
export function UsersTable({ rows }: { rows: UserRow[] }) {
  return (
    <div className="-mx-4 overflow-x-auto sm:-mx-5">
      <table className="w-full text-left text-sm" data-testid="users-table">
        <caption className="sr-only">Users</caption>
        <thead className="border-y border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium sm:px-5 md:w-2/5">
              User
            </th>
            <th scope="col" className="hidden px-4 py-2 font-medium md:table-cell">
              Roles
            </th>
            <th scope="col" className="hidden px-4 py-2 font-medium sm:table-cell">
              MLflow
            </th>
            <th scope="col" className="w-px px-4 py-2 sm:px-5">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => {
            const label = row.user.name || row.user.loginId;
            return (
              <tr key={row.user.userId} className="align-top">
                <td className="px-4 py-3 sm:px-5">
                  <span className="block break-words font-medium text-slate-900">{label}</span>
                  <span className="block break-all text-xs text-slate-500">{row.user.email || row.user.loginId}</span>
                  {row.user.status !== 'enabled' && (
                    <span className="mt-1 inline-block rounded bg-amber-100 px-1.5 text-xs text-amber-900">{row.user.status}</span>
                  )}
                  <div className="mt-2 space-y-2 md:hidden">
                    <div className="sm:hidden">
                      <LevelOf row={row} />
                    </div>
                    <RolesOf row={row} />
                  </div>
                </td>
                <td className="hidden px-4 py-3 md:table-cell">
                  <RolesOf row={row} />
                </td>
                <td className="hidden whitespace-nowrap px-4 py-3 sm:table-cell">
                  <LevelOf row={row} />
                </td>
                <td className="whitespace-nowrap px-4 py-3 text-right sm:px-5">
                  <Link
                    href={userHref(row.user.loginId)}
                    className="rounded font-medium text-sky-700 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
                    aria-label={`Manage roles of ${label}`}
                  >
                    Manage
                  </Link>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
