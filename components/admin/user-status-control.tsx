'use client';

import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/admin/action-result';
import { disableUser, enableUser } from '@/lib/admin/actions';
import { Dialog } from '@/components/ui/dialog';
import { buttonClass } from '@/components/ui/button';

/** Disable a user (after a confirmation that says what stops) or enable them again. */
export function UserStatusControl({ loginId, name, status, isSelf }: { loginId: string; name: string; status: string; isSelf: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult<unknown>>();
  const disabled = status === 'disabled';

  function run(action: typeof disableUser) {
    startTransition(async () => {
      setResult(await action({ loginId }));
      setConfirming(false);
    });
  }

  return (
    <div className="space-y-2 border-t border-slate-100 pt-3">
      {disabled ? (
        <button type="button" onClick={() => run(enableUser)} disabled={pending} className={buttonClass('secondary', 'sm')}>
          {pending ? 'Enabling…' : 'Enable user'}
        </button>
      ) : (
        <button
          type="button"
          onClick={() => setConfirming(true)}
          disabled={pending || isSelf}
          className={buttonClass('secondary', 'sm', 'text-red-700')}
          title={isSelf ? 'You cannot disable your own account' : undefined}
        >
          Disable user
        </button>
      )}
      <p role="status" aria-live="polite" className={`text-sm ${result && !result.ok ? 'text-red-700' : 'text-emerald-800'}`} data-testid="user-status-result">
        {result?.message}
      </p>
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Disable ${name}?`}
        description={`${name} cannot sign in while disabled, their sessions are ended and their access keys are refused. Their roles and keys are kept: enabling them restores everything.`}
        testId="disable-user-dialog"
      >
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" onClick={() => setConfirming(false)} className={buttonClass('secondary')} disabled={pending}>
            Cancel
          </button>
          <button type="button" onClick={() => run(disableUser)} className={buttonClass('danger')} disabled={pending}>
            {pending ? 'Disabling…' : 'Disable user'}
          </button>
        </div>
      </Dialog>
    </div>
  );
}
