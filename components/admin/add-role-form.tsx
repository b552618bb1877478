'use client';

import { useId } from 'react';
import type { RoleInfo, TenantInfo } from '@/lib/descope/management';
import { uncountedTenants, type TenantRoleScope } from '@/lib/workspaces/tenant-role-scope';
import { buttonClass, inputClass } from '@/components/ui/button';

interface AddRoleFormProps {
  roles: RoleInfo[];
  tenants: TenantInfo[];
  disabled: boolean;
  /** Where tenant roles count: in their tenant's workspace, or only DESCOPE_TENANT_ID's. */
  scope: TenantRoleScope;
  onAdd(role: string, tenantId: string | undefined): void;
}

/** Pick a role from the project's list and where it applies: project-wide or in one tenant. */
export function AddRoleForm({ roles, tenants, disabled, scope, onAdd }: AddRoleFormProps) {
  const roleId = useId();
  const scopeId = useId();
  const scopeHelpId = useId();
  const inert = uncountedTenants(
    tenants.map((tenant) => tenant.id),
    scope,
  );
  function submit(formData: FormData) {
    const role = String(formData.get('role') ?? '');
    const scope = String(formData.get('scope') ?? '');
    if (role) onAdd(role, scope || undefined);
  }
  return (
    <form action={submit} className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
      <div>
        <label htmlFor={roleId} className="mb-1 block text-sm font-medium text-slate-700">
          Role
        </label>
        <select id={roleId} name="role" required className={inputClass} defaultValue="">
          <option value="" disabled>
            Choose a role…
          </option>
          {roles.map((role) => (
            <option key={role.name} value={role.name}>
              {role.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={scopeId} className="mb-1 block text-sm font-medium text-slate-700">
          Applies to
        </label>
        <select id={scopeId} name="scope" className={inputClass} defaultValue="" aria-describedby={inert.length > 0 ? scopeHelpId : undefined}>
          <option value="">The whole project</option>
          {tenants.map((tenant) => (
            <option key={tenant.id} value={tenant.id}>
              Tenant {tenant.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={disabled} className={buttonClass('primary', 'md', 'w-full sm:w-auto')}>
        Add role
      </button>
      {inert.length > 0 && (
        <p id={scopeHelpId} className="text-xs text-slate-600 sm:col-span-3">
          Tenant roles are kept in Descope but count for MLflow only in the tenant named by <code className="font-mono">DESCOPE_TENANT_ID</code> (
          {scope.kind === 'one-tenant' && scope.tenantId ? scope.tenantId : 'not set on this portal'}), unless{' '}
          <code className="font-mono">PORTAL_WORKSPACES=tenants</code> gives each tenant its own workspace.
        </p>
      )}
    </form>
  );
}
