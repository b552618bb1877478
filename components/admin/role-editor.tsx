'use client';

import type { DirectoryUser, RoleInfo, TenantInfo } from '@/lib/descope/management';
import type { EffectiveAccess } from '@/lib/admin/effective-access';
import { PermissionBadge } from '@/components/permission-badge';
import { Dialog } from '@/components/ui/dialog';
import { buttonClass } from '@/components/ui/button';
import { RoleScope } from '@/components/admin/role-scope';
import { AddRoleForm } from '@/components/admin/add-role-form';
import { useRoleChange } from '@/components/admin/use-role-change';

interface RoleEditorProps {
  user: DirectoryUser;
  access: EffectiveAccess;
  roles: RoleInfo[];
  tenants: TenantInfo[];
}

/** A user's roles per scope, add and remove, the permission they add up to, and every result announced. */
export function RoleEditor({ user, access, roles, tenants }: RoleEditorProps) {
  const change = useRoleChange();
  const tenantName = (id: string) => tenants.find((tenant) => tenant.id === id)?.name ?? user.tenants.find((t) => t.tenantId === id)?.tenantName ?? id;
  const remove = (role: string, tenantId?: string) => change.run({ operation: 'remove', loginId: user.loginId, role, tenantId });

  return (
    <div className="space-y-5" aria-busy={change.pending}>
      <div className="flex flex-wrap items-center gap-2 rounded-xl bg-slate-50 px-3 py-2.5 text-sm">
        <span className="text-slate-700">Resulting MLflow permission</span>
        <PermissionBadge permission={access.permission} isAdmin={access.isAdmin} />
        <span className="text-xs text-slate-500">takes effect at their next session refresh</span>
      </div>
      <RoleScope title="Project roles" roles={user.roles} disabled={change.pending} onRemove={(role) => remove(role)} />
      {user.tenants.map((tenant) => (
        <RoleScope
          key={tenant.tenantId}
          title={`Tenant ${tenantName(tenant.tenantId)}`}
          roles={tenant.roles}
          tenant={{ id: tenant.tenantId, name: tenantName(tenant.tenantId) }}
          disabled={change.pending}
          onRemove={(role) => remove(role, tenant.tenantId)}
        />
      ))}
      <div className="border-t border-slate-100 pt-4">
        <h3 className="mb-2 text-sm font-medium text-slate-700">Add a role</h3>
        <AddRoleForm roles={roles} tenants={tenants} disabled={change.pending} onAdd={(role, tenantId) => change.run({ operation: 'add', loginId: user.loginId, role, tenantId })} />
      </div>
      <p role="status" aria-live="polite" className={`-mt-2 text-sm ${change.status?.tone === 'error' ? 'text-red-700' : 'text-emerald-800'}`} data-testid="role-change-status">
        {change.pending ? 'Saving…' : change.status?.message}
      </p>
      <Dialog
        open={change.awaitingConfirmation !== undefined}
        onClose={change.cancel}
        title="Remove your own admin access?"
        description={change.awaitingConfirmation?.message}
        testId="self-demotion-dialog"
      >
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" onClick={change.cancel} className={buttonClass('secondary')}>
            Keep my admin role
          </button>
          <button type="button" onClick={change.confirm} className={buttonClass('danger')} disabled={change.pending}>
            Remove it anyway
          </button>
        </div>
      </Dialog>
    </div>
  );
}
