'use client';

import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/admin/action-result';
import { Dialog } from '@/components/ui/dialog';
import { buttonClass } from '@/components/ui/button';

export type RevokeKey = (keyId: string) => Promise<ActionResult<{ keyId: string }>>;

/** Revoke, after a confirmation that says what stops working. `revoke` is the caller's server action. */
export function RevokeKeyButton({
  keyId,
  name,
  revoke,
  onDone,
}: {
  keyId: string;
  name: string;
  revoke: RevokeKey;
  onDone(result: ActionResult<{ keyId: string }>): void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();

  function confirm() {
    startTransition(async () => {
      const result = await revoke(keyId);
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
        description="Programs that use this key are refused from their next call. This cannot be undone; a new key can be created at any time."
      >
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" onClick={() => setConfirming(false)} className={buttonClass('secondary')} disabled={pending}>
            Cancel
          </button>
          <button type="button" onClick={confirm} className={buttonClass('danger')} disabled={pending}>
            {pending ? 'Revoking…' : 'Yes, revoke'}
          </button>
        </div>
      </Dialog>
    </>
  );
}
