'use client';

import { useState } from 'react';
import type { DirectoryUser, RoleInfo, TenantInfo } from '@/lib/descope/management';
import type { EffectiveAccess } from '@/lib/admin/effective-access';
import type { TenantRoleScope } from '@/lib/workspaces/tenant-role-scope';
import { MlflowLevel } from '@/components/mlflow-level';
import { Dialog } from '@/components/ui/dialog';
import { buttonClass } from '@/components/ui/button';
import { RoleScope } from '@/components/admin/role-scope';
import { AddRoleForm } from '@/components/admin/add-role-form';
import { useRoleChange } from '@/components/admin/use-role-change';
import { TenantRolesNote } from '@/components/tenant-roles-note';

interface RoleEditorProps {
  user: DirectoryUser;
  access: EffectiveAccess;
  roles: RoleInfo[];
  tenants: TenantInfo[];
  /** Where tenant roles count: in their tenant's workspace, or only DESCOPE_TENANT_ID's. */
  scope: TenantRoleScope;
}

type Removal = { role: string; tenantId?: string; where: string };

/** A user's roles per scope, add and remove (after a confirmation), the permission they add up to, and every result announced. */
export function RoleEditor({ user, access, roles, tenants, scope }: RoleEditorProps) {
  const change = useRoleChange();
  const [removal, setRemoval] = useState<Removal>();
  const tenantName = (id: string) => tenants.find((tenant) => tenant.id === id)?.name ?? user.tenants.find((t) => t.tenantId === id)?.tenantName ?? id;
  const name = user.name || user.loginId;
  const confirmRemoval = () => {
    if (removal) change.run({ operation: 'remove', loginId: user.loginId, role: removal.role, tenantId: removal.tenantId });
    setRemoval(undefined);
  };

  return (
    <div className="space-y-5" aria-busy={change.pending}>
      <div className="flex flex-wrap items-center gap-2 rounded-xl bg-slate-50 px-3 py-2.5 text-sm">
        <span className="text-slate-700">Resulting MLflow permission</span>
        <MlflowLevel permission={access.permission} isAdmin={access.isAdmin} scope={scope} who="their" />
      </div>
      <RoleScope title="Project roles" roles={user.roles} disabled={change.pending} onRemove={(role) => setRemoval({ role, where: 'project-wide' })} />
      {user.tenants.map((tenant) => (
        <RoleScope
          key={tenant.tenantId}
          title={`Tenant ${tenantName(tenant.tenantId)}`}
          roles={tenant.roles}
          tenant={{ id: tenant.tenantId, name: tenantName(tenant.tenantId) }}
          disabled={change.pending}
          onRemove={(role) => setRemoval({ role, tenantId: tenant.tenantId, where: `in tenant ${tenantName(tenant.tenantId)}` })}
        />
      ))}
      <TenantRolesNote tenants={user.tenants.filter((tenant) => tenant.roles.length > 0).map((tenant) => tenant.tenantId)} scope={scope} who="their" />
      <div className="border-t border-slate-100 pt-4">
        <h3 className="mb-2 text-sm font-medium text-slate-700">Add a role</h3>
        <AddRoleForm
          roles={roles}
          tenants={tenants}
          disabled={change.pending}
          scope={scope}
          onAdd={(role, tenantId) => change.run({ operation: 'add', loginId: user.loginId, role, tenantId })}
        />
      </div>
      <p
        role="status"
        aria-live="polite"
        className={`-mt-2 text-sm ${change.status?.tone === 'error' ? 'text-red-700' : 'text-emerald-800'}`}
        data-testid="role-change-status"
      >
        {change.pending ? 'Saving…' : change.status?.message}
      </p>
      <Dialog
        open={removal !== undefined}
        onClose={() => setRemoval(undefined)}
        title={`Remove ${removal?.role ?? ''} from ${name}?`}
        description={`${name} loses ${removal?.role ?? ''} ${removal?.where ?? ''} at Descope, and their sessions are ended: they sign in again to go on. You can add the role back afterwards.`}
        testId="remove-role-dialog"
      >
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" onClick={() => setRemoval(undefined)} className={buttonClass('secondary')}>
            Cancel
          </button>
          <button type="button" onClick={confirmRemoval} className={buttonClass('danger')} disabled={change.pending}>
            Remove role
          </button>
        </div>
      </Dialog>
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
