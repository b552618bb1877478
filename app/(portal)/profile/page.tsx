import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth/require-user';
import { PermissionBadge } from '@/components/permission-badge';

export const metadata: Metadata = { title: 'Profile' };
export const dynamic = 'force-dynamic';

export default async function ProfilePage() {
  const identity = await requireUser('/profile');
  const rows: [string, string][] = [
    ['Name', identity.name || '—'],
    ['Email', identity.email || '—'],
    ['User id', identity.userId],
    ['MLflow user name', identity.username],
    ['Roles', identity.roles.join(', ') || 'none'],
    ['Permissions', identity.permissions.join(', ') || 'none'],
  ];
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Your profile</h1>
      <section className="rounded-xl border border-slate-200 bg-white p-4">
        <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-[12rem_1fr]">
          {rows.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-sm text-slate-500">{label}</dt>
              <dd className="break-all text-sm" data-testid={`profile-${label.toLowerCase().replace(/\s+/g, '-')}`}>{value}</dd>
            </div>
          ))}
          <dt className="text-sm text-slate-500">MLflow permission</dt>
          <dd><PermissionBadge permission={identity.mlflowPermission} isAdmin={identity.isAdmin} /></dd>
        </dl>
      </section>
    </div>
  );
}
