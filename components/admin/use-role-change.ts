'use client';

import { useState, useTransition } from 'react';
import { grantRole, revokeRole } from '@/lib/admin/actions';
import type { RoleChangeInput } from '@/lib/admin/change-role';

export type RoleRequest = { operation: 'add' | 'remove' } & Omit<RoleChangeInput, 'confirmed'>;
export type RoleStatus = { tone: 'success' | 'error'; message: string };

/**
 * Runs role changes one at a time. When the server answers `confirm_required` (an admin removing
 * their own last admin role) the request is parked until the admin confirms or cancels.
 */
export function useRoleChange() {
  const [pending, startTransition] = useTransition();
  const [status, setStatus] = useState<RoleStatus>();
  const [awaitingConfirmation, setAwaitingConfirmation] = useState<{ request: RoleRequest; message: string }>();

  function run(request: RoleRequest, confirmed = false) {
    startTransition(async () => {
      const { operation, ...input } = request;
      const result = await (operation === 'add' ? grantRole : revokeRole)({ ...input, confirmed });
      if (!result.ok && result.code === 'confirm_required') {
        setAwaitingConfirmation({ request, message: result.message });
        return;
      }
      setAwaitingConfirmation(undefined);
      setStatus({ tone: result.ok ? 'success' : 'error', message: result.message });
    });
  }

  return {
    pending,
    status,
    awaitingConfirmation,
    run,
    confirm: () => awaitingConfirmation && run(awaitingConfirmation.request, true),
    cancel: () => {
      setAwaitingConfirmation(undefined);
      setStatus({ tone: 'success', message: 'Nothing was changed.' });
    },
  };
}
