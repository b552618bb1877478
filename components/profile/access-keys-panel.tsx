'use client';

import { useState } from 'react';
import type { AccessKeyInfo } from '@/lib/descope/management';
import type { ActionResult } from '@/lib/admin/action-result';
import type { NewAccessKey } from '@/lib/profile/access-keys';
import { revokeAccessKey } from '@/lib/profile/actions';
import { CreateKeyForm } from '@/components/profile/create-key-form';
import { NewKeyDialog } from '@/components/profile/new-key-dialog';
import { KeyTable } from '@/components/profile/key-table';
import { EmptyState } from '@/components/ui/empty-state';

type Status = { tone: 'success' | 'error'; message: string };

const revokeOwn = (keyId: string) => revokeAccessKey({ keyId });

/** Create, list and revoke; results are announced in one live region that outlives the rows. */
export function AccessKeysPanel({ keys, roles }: { keys: AccessKeyInfo[]; roles: string[] }) {
  const [created, setCreated] = useState<NewAccessKey>();
  const [status, setStatus] = useState<Status>();

  function revoked(result: ActionResult<{ keyId: string }>) {
    setStatus({ tone: result.ok ? 'success' : 'error', message: result.message });
  }

  return (
    <div className="space-y-5">
      <div>
        <CreateKeyForm
          roles={roles}
          onCreated={(result) => {
            setCreated(result.data);
            setStatus({ tone: 'success', message: result.message });
          }}
        />
        <p
          aria-live="polite"
          role="status"
          className={`mt-2 text-sm ${status?.tone === 'error' ? 'text-red-700' : 'text-emerald-800'}`}
          data-testid="access-key-status"
        >
          {status?.message}
        </p>
      </div>
      {keys.length === 0 ? (
        <EmptyState title="No access keys yet">Create one above for a notebook, a CI job or a training script.</EmptyState>
      ) : (
        <KeyTable keys={keys} revoke={revokeOwn} onRevoked={revoked} />
      )}
      {/* Dropping the key from state on close is what makes it show once. */}
      <NewKeyDialog created={created} onClose={() => setCreated(undefined)} />
    </div>
  );
}
