import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { adminPageAccess } from '@/lib/admin/gate';
import { loadRecentChanges, loadUserDetail } from '@/lib/admin/queries';
import { AccessDenied } from '@/components/admin/access-denied';
import { ManagementError } from '@/components/admin/management-error';
import { RoleEditor } from '@/components/admin/role-editor';
import { RecentChanges } from '@/components/admin/recent-changes';
import { UserFacts } from '@/components/admin/user-facts';
import { UserAccessKeys } from '@/components/admin/user-access-keys';
import { UserStatusControl } from '@/components/admin/user-status-control';
import { Card } from '@/components/ui/card';
import { MlflowGrants } from '@/components/mlflow-grants';
import { WorkspaceList } from '@/components/workspace-list';
import { workspacesOf } from '@/lib/admin/effective-access';
import { tenantRoleScope, workspaceLevelRule } from '@/lib/workspaces/tenant-role-scope';
import { mlflowUsernameOf } from '@/lib/mlflow/username';
import { ROLE_CHANGE_SUMMARY } from '@/lib/admin/change-timing';
import { portalRuntime } from '@/lib/runtime';

export const metadata: Metadata = { title: 'Manage user' };
export const dynamic = 'force-dynamic';

// Login ids are emails: '@' may arrive encoded or not; a malformed escape is simply "no such user".
function decodeLoginId(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

export default async function AdminUserPage({ params }: { params: Promise<{ loginId: string }> }) {
  const { loginId: raw } = await params;
  const access = await adminPageAccess(`/admin/users/${raw}`);
  if (!access.ok) return <AccessDenied message={access.message} />;
  const loginId = decodeLoginId(raw);
  if (!loginId || loginId.length > 320) notFound();
  const [detail, changes] = await Promise.all([loadUserDetail(loginId), loadRecentChanges(loginId)]);
  if (!detail.ok && detail.failure === 'not_found') notFound();
  const mlflowUsername = detail.ok ? mlflowUsernameOf(detail.data.user, portalRuntime().config) : undefined;
  const grants = mlflowUsername ? await portalRuntime().mlflowGrants(mlflowUsername, access.identity) : undefined;
  const name = detail.ok ? detail.data.user.name || detail.data.user.loginId : loginId;
  const isSelf = detail.ok && detail.data.user.userId === access.identity.userId;
  const { config } = portalRuntime();
  // Their workspaces by the gateway's own rules, from the directory's roles (what their next token carries).
  const scope = tenantRoleScope(config);
  const workspaceScope = scope.kind === 'workspaces' ? scope : undefined;
  const workspaces = detail.ok && workspaceScope ? workspacesOf(detail.data.user, config) : undefined;

  return (
    <div className="space-y-6">
      <Link href="/admin" className="inline-block text-sm font-medium text-sky-700 hover:underline">
        <span aria-hidden>←</span> All users
      </Link>
      {!detail.ok ? (
        <>
          <h1 className="break-all text-2xl font-semibold">{loginId}</h1>
          <ManagementError failure={detail.failure} message={detail.message} />
        </>
      ) : (
        <>
          <div>
            <h1 className="break-words text-2xl font-semibold">{detail.data.user.name || detail.data.user.loginId}</h1>
            <p className="mt-1 break-all text-sm text-slate-600">{detail.data.user.email || detail.data.user.loginId}</p>
          </div>
          <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem] lg:items-start">
            <div className="min-w-0 space-y-6">
              <Card id="user-roles-heading" title="Roles" description={<span data-testid="role-change-timing">{ROLE_CHANGE_SUMMARY}</span>}>
                <RoleEditor user={detail.data.user} access={detail.data.access} roles={detail.data.roles} tenants={detail.data.tenants} scope={scope} />
              </Card>
              {workspaces && workspaceScope && (
                <Card
                  id="user-workspaces-heading"
                  title="MLflow workspaces"
                  description={`One per tenant they belong to: ${workspaceLevelRule(workspaceScope)}. A change of roles above counts at their next token refresh.`}
                >
                  <WorkspaceList caller={workspaces} none="None: they belong to no tenant with MLflow access." />
                  {detail.data.access.isAdmin && (
                    <p className="mt-3 text-xs text-slate-600" data-testid="admin-any-workspace">
                      A portal admin: they may also use every other workspace, as MLflow&apos;s admin.
                    </p>
                  )}
                </Card>
              )}
              {mlflowUsername && grants && <MlflowGrants username={mlflowUsername} result={grants} />}
              <Card id="user-keys-heading" title="Access keys" description="Keys this user made for programs. Revoking one refuses the programs that use it.">
                {detail.data.keys.ok ? (
                  <UserAccessKeys loginId={detail.data.user.loginId} name={name} keys={detail.data.keys.data} />
                ) : (
                  <ManagementError failure={detail.data.keys.failure} message={detail.data.keys.message} />
                )}
              </Card>
            </div>
            <div className="space-y-6">
              <UserFacts user={detail.data.user} isSelf={isSelf}>
                <UserStatusControl loginId={detail.data.user.loginId} name={name} status={detail.data.user.status} isSelf={isSelf} />
              </UserFacts>
              <RecentChanges events={changes.events} unreadable={changes.unreadable} title="Recent changes to this user" />
            </div>
          </div>
        </>
      )}
    </div>
  );
}
