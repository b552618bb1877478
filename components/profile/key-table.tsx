import type { AccessKeyInfo } from '@/lib/descope/management';
import type { ActionResult } from '@/lib/admin/action-result';
import { formatDate } from '@/components/ui/format';
import { RoleChips } from '@/components/ui/role-chip';
import { RevokeKeyButton, type RevokeKey } from '@/components/profile/revoke-key-button';

const statusStyles: Record<AccessKeyInfo['status'], string> = {
  active: 'bg-emerald-100 text-emerald-800',
  inactive: 'bg-slate-200 text-slate-700',
  expired: 'bg-amber-100 text-amber-900',
};

const expiresText = (key: AccessKeyInfo) => (key.expiresAt ? formatDate(key.expiresAt) : 'Never');

/** What a key may do: limited to some roles (a scoped key), or all of its owner's roles. */
function KeyScope({ keyInfo, owner }: { keyInfo: AccessKeyInfo; owner: string }) {
  if (keyInfo.scope.length === 0) return <span className="text-xs text-slate-600">all {owner} roles</span>;
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <span className="text-xs text-slate-600">only</span>
      <RoleChips roles={keyInfo.scope} />
    </span>
  );
}

interface KeyTableProps {
  keys: AccessKeyInfo[];
  revoke: RevokeKey;
  onRevoked(result: ActionResult<{ keyId: string }>): void;
  caption?: string;
  /** Whose roles an unscoped key has, in words: "your" on /profile, "their" on the admin page. */
  owner?: string;
}

/** Access keys. Below 640 px the roles and dates fold under the name instead of taking columns. */
export function KeyTable({ keys, revoke, onRevoked, caption = 'Your access keys', owner = 'your' }: KeyTableProps) {
  return (
    <div className="-mx-4 overflow-x-auto sm:mx-0">
      <table className="w-full text-left text-sm" data-testid="access-keys">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium sm:pl-0">
              Name
            </th>
            <th scope="col" className="hidden px-4 py-2 font-medium sm:table-cell">
              Roles
            </th>
            <th scope="col" className="hidden px-4 py-2 font-medium sm:table-cell">
              Created
            </th>
            <th scope="col" className="hidden px-4 py-2 font-medium sm:table-cell">
              Expires
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-4 py-2 sm:pr-0">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {keys.map((key) => (
            <tr key={key.id} className="align-top">
              <td className="px-4 py-3 sm:pl-0">
                <span className="block break-words font-medium text-slate-900">{key.name}</span>
                <span className="block break-all font-mono text-xs text-slate-500">{key.id}</span>
                <span className="mt-1 block sm:hidden">
                  <KeyScope keyInfo={key} owner={owner} />
                </span>
                <span className="block text-xs text-slate-500 sm:hidden">
                  Created {formatDate(key.createdAt)} · expires {expiresText(key)}
                </span>
              </td>
              <td className="hidden px-4 py-3 sm:table-cell" data-testid="key-scope">
                <KeyScope keyInfo={key} owner={owner} />
              </td>
              <td className="hidden whitespace-nowrap px-4 py-3 text-slate-700 sm:table-cell">{formatDate(key.createdAt)}</td>
              <td className="hidden whitespace-nowrap px-4 py-3 text-slate-700 sm:table-cell">{expiresText(key)}</td>
              <td className="px-4 py-3">
                <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${statusStyles[key.status]}`}>{key.status}</span>
              </td>
              <td className="px-4 py-3 text-right sm:pr-0">
                <RevokeKeyButton keyId={key.id} name={key.name} revoke={revoke} onDone={onRevoked} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
