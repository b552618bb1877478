'use client';

import { useId, useState, useTransition } from 'react';
import { createAccessKey } from '@/lib/profile/actions';
import type { ActionResult } from '@/lib/admin/action-result';
import type { NewAccessKey } from '@/lib/profile/access-keys';
import { expiryChoices } from '@/lib/profile/expiry';
import { buttonClass, inputClass } from '@/components/ui/button';

interface CreateKeyFormProps {
  /** The signed-in user's roles: a key may be limited to some of them. */
  roles: string[];
  onCreated(result: Extract<ActionResult<NewAccessKey>, { ok: true }>): void;
  disabled?: boolean;
}

/** Name, expiry and (optionally) the roles a new key is limited to; the server binds it to the signed-in user. */
export function CreateKeyForm({ roles, onCreated, disabled }: CreateKeyFormProps) {
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const nameId = useId();
  const expiryId = useId();
  const errorId = useId();
  const scopeHelpId = useId();

  function submit(formData: FormData) {
    startTransition(async () => {
      const result = await createAccessKey({
        name: String(formData.get('name') ?? ''),
        expiry: String(formData.get('expiry') ?? ''),
        roles: formData.getAll('roles').map(String),
      });
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
        <input
          id={nameId}
          name="name"
          required
          maxLength={64}
          placeholder="e.g. nightly training job"
          autoComplete="off"
          className={inputClass}
          aria-invalid={error ? true : undefined}
        />
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
      {roles.length > 0 && (
        <fieldset className="sm:col-span-3" aria-describedby={scopeHelpId}>
          <legend className="text-sm font-medium text-slate-700">Limit to roles (optional)</legend>
          <div className="mt-1.5 flex flex-wrap gap-x-4 gap-y-1.5">
            {roles.map((role) => (
              <label key={role} className="inline-flex items-center gap-1.5 text-sm text-slate-800">
                <input
                  type="checkbox"
                  name="roles"
                  value={role}
                  className="h-4 w-4 rounded border-slate-300 text-sky-700 focus-visible:ring-2 focus-visible:ring-sky-500"
                />
                {role}
              </label>
            ))}
          </div>
          <p id={scopeHelpId} className="mt-1 text-xs text-slate-600">
            None ticked: the key has all your roles. Ticked: only those, e.g. just a reader role for a read-only dashboard. Either way it never has a role you
            no longer hold.
          </p>
        </fieldset>
      )}
      {error && (
        <p id={errorId} role="alert" className="text-sm text-red-700 sm:col-span-3">
          {error}
        </p>
      )}
    </form>
  );
}
