import type { ReactNode } from 'react';
import type { DirectoryUser } from '@/lib/descope/management';
import { Card } from '@/components/ui/card';

/** The user's identifiers and status, as Descope holds them; `children` adds controls below. */
export function UserFacts({ user, isSelf, children }: { user: DirectoryUser; isSelf: boolean; children?: ReactNode }) {
  const rows: [string, string][] = [
    ['Login id', user.loginId],
    ['User id', user.userId],
    ['Status', user.status],
    ['Tenants', user.tenants.map((tenant) => tenant.tenantName).join(', ') || 'none'],
  ];
  return (
    <Card
      id="user-facts-heading"
      title="Details"
      actions={isSelf ? <span className="rounded-full bg-sky-100 px-2 py-0.5 text-xs font-medium text-sky-800">you</span> : undefined}
    >
      <dl className="space-y-2 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="grid grid-cols-[6rem_1fr] gap-2">
            <dt className="text-slate-500">{label}</dt>
            <dd className="min-w-0 break-all text-slate-900" data-testid={`user-${label.toLowerCase().replace(/\s+/g, '-')}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      {children && <div className="mt-3">{children}</div>}
    </Card>
  );
}
