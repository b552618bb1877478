import type { Permission } from '@/lib/auth/permission';

const styles: Record<Permission, string> = {
  NONE: 'bg-slate-100 text-slate-700',
  READ: 'bg-sky-100 text-sky-800',
  EDIT: 'bg-emerald-100 text-emerald-800',
  MANAGE: 'bg-violet-100 text-violet-800',
};

export function PermissionBadge({ permission, isAdmin = false }: { permission: Permission; isAdmin?: boolean }) {
  return (
    <span className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ${styles[permission]}`} data-testid="mlflow-permission">
      {permission}
      {isAdmin ? ' · admin' : ''}
    </span>
  );
}
