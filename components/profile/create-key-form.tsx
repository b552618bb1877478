'use client';

import { useId, useState, useTransition } from 'react';
import { createAccessKey } from '@/lib/profile/actions';
import type { ActionResult } from '@/lib/admin/action-result';
import type { NewAccessKey } from '@/lib/profile/access-keys';
import { expiryChoices } from '@/lib/profile/expiry';
import { buttonClass, inputClass } from '@/components/ui/button';

/** Name and expiry for a new key; the server creates it bound to the signed-in user. */
export function CreateKeyForm({ onCreated, disabled }: { onCreated(result: Extract<ActionResult<NewAccessKey>, { ok: true }>): void; disabled?: boolean }) {
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const nameId = useId();
  const expiryId = useId();
  const errorId = useId();

  function submit(formData: FormData) {
    startTransition(async () => {
      const result = await createAccessKey({ name: String(formData.get('name') ?? ''), expiry: String(formData.get('expiry') ?? '') });
      if (result.ok) {
        setError(undefined);
        onCreated(result);
      } else {
        setError(result.message);
      }
    });
  }

  return (
    <form action={submit} className="grid gap-3 sm:grid-cols-[1fr_11rem_auto] sm:items-end" aria-describedby={error ? errorId : undefined}>
      <div>
        <label htmlFor={nameId} className="mb-1 block text-sm font-medium text-slate-700">
          Key name
        </label>
        <input id={nameId} name="name" required maxLength={64} placeholder="e.g. nightly training job" autoComplete="off" className={inputClass} aria-invalid={error ? true : undefined} />
      </div>
      <div>
        <label htmlFor={expiryId} className="mb-1 block text-sm font-medium text-slate-700">
          Expires
        </label>
        <select id={expiryId} name="expiry" defaultValue="90" className={inputClass}>
          {expiryChoices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.value === 'never' ? 'Never' : `In ${choice.label}`}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={pending || disabled} className={buttonClass('primary', 'md', 'w-full sm:w-auto')}>
        {pending ? 'Creating…' : 'Create key'}
      </button>
      {error && (
        <p id={errorId} role="alert" className="text-sm text-red-700 sm:col-span-3">
          {error}
        </p>
      )}
    </form>
  );
}
