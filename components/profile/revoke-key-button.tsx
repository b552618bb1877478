'use client';

import { useState, useTransition } from 'react';
import { revokeAccessKey } from '@/lib/profile/actions';
import type { ActionResult } from '@/lib/admin/action-result';
import { Dialog } from '@/components/ui/dialog';
import { buttonClass } from '@/components/ui/button';

/** Revoke, after a confirmation that says what stops working. */
export function RevokeKeyButton({ keyId, name, onDone }: { keyId: string; name: string; onDone(result: ActionResult<{ keyId: string }>): void }) {
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();

  function revoke() {
    startTransition(async () => {
      const result = await revokeAccessKey({ keyId });
      setConfirming(false);
      onDone(result);
    });
  }

  return (
    <>
      <button type="button" onClick={() => setConfirming(true)} className={buttonClass('secondary', 'sm', 'text-red-700')} aria-label={`Revoke key ${name}`}>
        Revoke
      </button>
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Revoke “${name}”?`}
        description="Programs that use this key are refused from their next call. This cannot be undone; you can create a new key at any time."
      >
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" onClick={() => setConfirming(false)} className={buttonClass('secondary')} disabled={pending}>
            Cancel
          </button>
          <button type="button" onClick={revoke} className={buttonClass('danger')} disabled={pending}>
            {pending ? 'Revoking…' : 'Yes, revoke'}
          </button>
        </div>
      </Dialog>
    </>
  );
}
