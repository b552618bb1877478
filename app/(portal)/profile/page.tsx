import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth/require-user';
import { loadOwnAccessKeys } from '@/lib/profile/queries';
import { portalRuntime } from '@/lib/runtime';
import { IdentityCard } from '@/components/profile/identity-card';
import { AccessCard } from '@/components/profile/access-card';
import { AccessKeysPanel } from '@/components/profile/access-keys-panel';
import { Card } from '@/components/ui/card';
import { Notice } from '@/components/ui/notice';
import { WorkspacesCard } from '@/components/workspaces-card';
import { callerWorkspaces } from '@/lib/auth/workspace-access';
import { trackingUri } from '@/lib/profile/portal-origin';
import { tenantRoleScope } from '@/lib/workspaces/tenant-role-scope';

export const metadata: Metadata = { title: 'Profile' };
export const dynamic = 'force-dynamic';

export default async function ProfilePage() {
  const identity = await requireUser('/profile');
  const keys = await loadOwnAccessKeys(identity);
  const { config } = portalRuntime();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Your profile</h1>
        <p className="mt-1 text-sm text-slate-600">Who you are, what you may do in MLflow, and keys for your programs.</p>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <IdentityCard identity={identity} />
        <AccessCard identity={identity} scope={tenantRoleScope(config)} />
      </div>
      {config.workspaces && <WorkspacesCard caller={callerWorkspaces(identity, config)} trackingUri={await trackingUri()} />}
      <Card
        id="access-keys-heading"
        title="Access keys"
        description={
          <>
            For the <code className="font-mono text-[0.8rem]">mlflow</code> client, curl and CI jobs. A key acts with your roles as they are when it is used (or
            only some of them, if you limit it), so a role you lose is lost for your keys too.
          </>
        }
      >
        {keys.ok ? (
          <AccessKeysPanel keys={keys.data} roles={identity.roles} />
        ) : (
          <Notice tone={keys.failure === 'not_configured' ? 'warning' : 'error'} title="Access keys are unavailable" testId="access-keys-error">
            {keys.message}
          </Notice>
        )}
      </Card>
    </div>
  );
}
