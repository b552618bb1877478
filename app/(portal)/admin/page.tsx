import type { Metadata } from 'next';
import { z } from 'zod';
import { portalRuntime } from '@/lib/runtime';
import { adminPageAccess } from '@/lib/admin/gate';
import { loadRecentChanges, loadRoleCatalog, loadUserList, loadWorkspaceOverview } from '@/lib/admin/queries';
import { AccessDenied } from '@/components/admin/access-denied';
import { ManagementError } from '@/components/admin/management-error';
import { UserSearchForm } from '@/components/admin/user-search-form';
import { UsersTable } from '@/components/admin/users-table';
import { Pagination } from '@/components/admin/pagination';
import { RoleCatalog } from '@/components/admin/role-catalog';
import { RecentChanges } from '@/components/admin/recent-changes';
import { TenantWorkspaces } from '@/components/admin/tenant-workspaces';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ROLE_CHANGE_SUMMARY } from '@/lib/admin/change-timing';

export const metadata: Metadata = { title: 'Admin' };
export const dynamic = 'force-dynamic';

const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);
const searchSchema = z.object({
  q: z.preprocess(first, z.string().trim().max(100).catch('')).default(''),
  page: z.preprocess(first, z.coerce.number().int().min(1).max(10_000).catch(1)).default(1),
});

export default async function AdminPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const access = await adminPageAccess('/admin');
  if (!access.ok) return <AccessDenied message={access.message} />;
  const { q, page } = searchSchema.parse(await searchParams);
  const [list, roles, changes, workspaces] = await Promise.all([loadUserList(q, page - 1), loadRoleCatalog(), loadRecentChanges(), loadWorkspaceOverview()]);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Admin</h1>
        <p className="mt-1 text-sm text-slate-600">Find people, assign their roles and see what MLflow permission they end up with.</p>
        <p className="mt-1 text-xs text-slate-600" data-testid="role-change-timing">
          {ROLE_CHANGE_SUMMARY}
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem] lg:items-start">
        <div className="min-w-0 space-y-6">
          <Card id="users-heading" title="Users">
            <div className="space-y-4">
              <UserSearchForm query={q} />
              {!list.ok ? (
                <ManagementError failure={list.failure} message={list.message} />
              ) : list.data.rows.length === 0 ? (
                <EmptyState title={q ? `No user matches “${q}”` : 'No users yet'}>{q ? 'Try part of a name or an email address.' : undefined}</EmptyState>
              ) : (
                <>
                  <UsersTable rows={list.data.rows} />
                  <Pagination query={q} page={page} pageSize={list.data.pageSize} total={list.data.total} />
                </>
              )}
            </div>
          </Card>
          {workspaces && <TenantWorkspaces overview={workspaces} />}
        </div>
        <div className="space-y-6">
          <RecentChanges events={changes.events} unreadable={changes.unreadable} />
          <RoleCatalog roles={roles} config={portalRuntime().config} />
        </div>
      </div>
    </div>
  );
}
