import type { ManagementFailure } from '@/lib/descope/management';
import { Notice } from '@/components/ui/notice';

const titles: Record<ManagementFailure, string> = {
  not_configured: 'User management is not set up',
  unavailable: 'Descope is not answering',
  rejected: 'Descope refused the management key',
  not_found: 'Not found',
  invalid: 'Descope did not accept the request',
};

/** Why the directory cannot be shown; read-only pages change nothing, so there is nothing to undo. */
export function ManagementError({ failure, message }: { failure: ManagementFailure; message: string }) {
  return (
    <Notice tone={failure === 'not_configured' ? 'warning' : 'error'} title={titles[failure]} testId="management-error">
      {message}
    </Notice>
  );
}
