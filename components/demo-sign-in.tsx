import { demoUsers, type DemoUser } from '@/lib/demo-sign-in';
import { portalRuntime } from '@/lib/runtime';
import { FragmentField } from '@/components/fragment-field';
import { tenantRoleScope, uncountedTenants, workspaceLevelRule } from '@/lib/workspaces/tenant-role-scope';

function roleSummary(user: DemoUser): string {
  const tenantRoles = user.tenants.flatMap((tenant) => tenant.roles.map((role) => `${role} @ ${tenant.tenantId}`));
  const all = [...user.roles, ...tenantRoles];
  return all.length > 0 ? all.join(', ') : 'no role';
}

/** Emulator mode: one button per demo user, each a plain form post (works without JavaScript). */
export async function DemoSignIn({ next }: { next: string }) {
  let users: DemoUser[] = [];
  let unavailable = false;
  const scope = tenantRoleScope(portalRuntime().config);
  try {
    users = await demoUsers(portalRuntime().config);
  } catch {
    unavailable = true;
  }
  return (
    <div>
      <h2 className="text-sm font-medium text-slate-700">Sign in as a demo user</h2>
      {unavailable && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          The local Descope emulator is not answering. Start it with <code>npm run emulator</code> (or use <code>npm run demo</code>).
        </p>
      )}
      <ul className="mt-3 space-y-2">
        {users.map((user) => (
          <li key={user.loginId}>
            <form method="post" action="/auth/login/demo">
              <input type="hidden" name="loginId" value={user.loginId} />
              <input type="hidden" name="next" value={next} />
              <FragmentField />
              <button
                type="submit"
                className="flex w-full items-center justify-between gap-3 rounded-xl border border-slate-200 px-4 py-3 text-left transition hover:border-sky-400 hover:bg-sky-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
              >
                <span className="min-w-0">
                  <span className="block truncate text-sm font-medium">{user.name || user.loginId}</span>
                  <span className="block truncate text-xs text-slate-500">{user.loginId}</span>
                </span>
                <span className="shrink-0 rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">{roleSummary(user)}</span>
              </button>
            </form>
          </li>
        ))}
      </ul>
      {scope.kind === 'workspaces' ? (
        <p className="mt-3 text-xs text-slate-600" data-testid="tenant-roles-note">
          A role shown as “role @ tenant” counts in that tenant&apos;s own MLflow workspace: {workspaceLevelRule(scope)}.
        </p>
      ) : (
        users.some(
          (user) =>
            uncountedTenants(
              user.tenants.filter((tenant) => tenant.roles.length > 0).map((tenant) => tenant.tenantId),
              scope,
            ).length > 0,
        ) && (
          <p className="mt-3 text-xs text-slate-600" data-testid="tenant-roles-note">
            A role shown as “role @ tenant” counts only when <code className="font-mono">DESCOPE_TENANT_ID</code> names that tenant (
            {scope.tenantId ?? 'not set here'}); otherwise that user gets the default permission.
          </p>
        )
      )}
    </div>
  );
}
