import type { ReactNode } from 'react';
import { requireUser } from '@/lib/auth/require-user';
import { PortalHeader } from '@/components/portal-header';

// Gate 2: every portal page re-checks the session on the server, whatever proxy.ts decided.
export default async function PortalLayout({ children }: { children: ReactNode }) {
  const identity = await requireUser();
  return (
    <>
      <PortalHeader identity={identity} />
      <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
    </>
  );
}
