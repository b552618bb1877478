'use client';

import { useState } from 'react';
import type { AccessKeyInfo } from '@/lib/descope/management';
import type { ActionResult } from '@/lib/admin/action-result';
import { revokeUserAccessKey } from '@/lib/admin/actions';
import { KeyTable } from '@/components/profile/key-table';
import { EmptyState } from '@/components/ui/empty-state';

/** Another user's access keys, for an admin: see what exists and revoke what should not. */
export function UserAccessKeys({ loginId, name, keys }: { loginId: string; name: string; keys: AccessKeyInfo[] }) {
  const [status, setStatus] = useState<{ tone: 'success' | 'error'; message: string }>();
  const revoke = (keyId: string) => revokeUserAccessKey({ loginId, keyId });
  const done = (result: ActionResult<{ keyId: string }>) => setStatus({ tone: result.ok ? 'success' : 'error', message: result.message });
  return (
    <div className="space-y-3">
      {keys.length === 0 ? (
        <EmptyState title={`${name} has no access keys`} />
      ) : (
        <KeyTable keys={keys} revoke={revoke} onRevoked={done} caption={`Access keys of ${name}`} owner="their" />
      )}
      <p
        role="status"
        aria-live="polite"
        className={`text-sm ${status?.tone === 'error' ? 'text-red-700' : 'text-emerald-800'}`}
        data-testid="user-keys-status"
      >
        {status?.message}
      </p>
    </div>
  );
}
