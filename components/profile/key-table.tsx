import type { AccessKeyInfo } from '@/lib/descope/management';
import type { ActionResult } from '@/lib/admin/action-result';
import { formatDate } from '@/components/ui/format';
import { RevokeKeyButton } from '@/components/profile/revoke-key-button';

const statusStyles: Record<AccessKeyInfo['status'], string> = {
  active: 'bg-emerald-100 text-emerald-800',
  inactive: 'bg-slate-200 text-slate-700',
  expired: 'bg-amber-100 text-amber-900',
};

const expiresText = (key: AccessKeyInfo) => (key.expiresAt ? formatDate(key.expiresAt) : 'Never');

/** The user's keys. Below 640 px the dates fold under the name instead of taking columns. */
export function KeyTable({ keys, onRevoked }: { keys: AccessKeyInfo[]; onRevoked(result: ActionResult<{ keyId: string }>): void }) {
  return (
    <div className="-mx-4 overflow-x-auto sm:mx-0">
      <table className="w-full text-left text-sm" data-testid="access-keys">
        <caption className="sr-only">Your access keys</caption>
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium sm:pl-0">Name</th>
            <th scope="col" className="hidden px-4 py-2 font-medium sm:table-cell">Created</th>
            <th scope="col" className="hidden px-4 py-2 font-medium sm:table-cell">Expires</th>
            <th scope="col" className="px-4 py-2 font-medium">Status</th>
            <th scope="col" className="px-4 py-2 sm:pr-0"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {keys.map((key) => (
            <tr key={key.id}>
              <td className="px-4 py-3 sm:pl-0">
                <span className="block break-words font-medium text-slate-900">{key.name}</span>
                <span className="block break-all font-mono text-xs text-slate-500">{key.id}</span>
                <span className="block text-xs text-slate-500 sm:hidden">
                  Created {formatDate(key.createdAt)} · expires {expiresText(key)}
                </span>
              </td>
              <td className="hidden whitespace-nowrap px-4 py-3 text-slate-700 sm:table-cell">{formatDate(key.createdAt)}</td>
              <td className="hidden whitespace-nowrap px-4 py-3 text-slate-700 sm:table-cell">{expiresText(key)}</td>
              <td className="px-4 py-3">
                <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${statusStyles[key.status]}`}>{key.status}</span>
              </td>
              <td className="px-4 py-3 text-right sm:pr-0">
                <RevokeKeyButton keyId={key.id} name={key.name} onDone={onRevoked} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
