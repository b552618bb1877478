import type { Config } from '@/lib/config';
import type { Outcome, RoleInfo } from '@/lib/descope/management';
import { grantOf } from '@/lib/admin/effective-access';
import { Card } from '@/components/ui/card';
import { ManagementError } from '@/components/admin/management-error';

type AccessConfig = Pick<Config, 'adminRoles' | 'editorRoles' | 'readerRoles' | 'defaultPermission' | 'tenantId'>;

/** The project's roles and what each grants in MLflow, so admins know what they are assigning. */
export function RoleCatalog({ roles, config }: { roles: Outcome<RoleInfo[]>; config: AccessConfig }) {
  return (
    <Card id="roles-heading" title="Roles" description={`Without a mapped role a user gets ${config.defaultPermission}.`}>
      {!roles.ok ? (
        <ManagementError failure={roles.failure} message={roles.message} />
      ) : roles.data.length === 0 ? (
        <p className="text-sm text-slate-500">The project defines no roles.</p>
      ) : (
        <ul className="space-y-3 text-sm">
          {roles.data.map((role) => (
            <li key={role.name}>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-medium text-slate-900">{role.name}</span>
                <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">{grantOf(role.name, config)}</span>
              </div>
              {role.description && <p className="mt-0.5 text-xs text-slate-600">{role.description}</p>}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
