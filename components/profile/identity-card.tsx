import type { Identity } from '@/lib/auth/identity';
import { Card } from '@/components/ui/card';

/** Who the portal thinks you are; test ids name each field for the browser tests. */
export function IdentityCard({ identity }: { identity: Identity }) {
  const rows: [string, string][] = [
    ['Name', identity.name || '—'],
    ['Email', identity.email || '—'],
    ['User id', identity.userId],
    ['MLflow user name', identity.username],
  ];
  return (
    <Card id="identity-heading" title="Who you are" description="As Descope knows you; MLflow records your runs under the MLflow user name.">
      <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[10rem_1fr]">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-slate-500">{label}</dt>
            <dd className="min-w-0 break-all font-medium text-slate-900" data-testid={`profile-${label.toLowerCase().replace(/\s+/g, '-')}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
