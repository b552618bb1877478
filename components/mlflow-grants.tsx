import type { GrantsResult } from '@/lib/mlflow/grants';
import { DEFAULT_WORKSPACE } from '@/lib/workspaces/tenant-workspaces';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Notice } from '@/components/ui/notice';

const resourceLabels: Record<string, string> = {
  experiment: 'Experiment',
  registered_model: 'Registered model',
  prompt: 'Prompt',
  scorer: 'Scorer',
  workspace: 'Workspace',
};

/**
 * A user's permissions as MLflow's RBAC holds and enforces them (PORTAL_AUTHZ=mlflow): what they
 * own (MANAGE on what they created), what was shared with them, and what their roles give.
 */
export function MlflowGrants({
  username,
  result,
  heading = 'Permissions in MLflow',
  self = false,
}: {
  username: string;
  result: GrantsResult;
  heading?: string;
  self?: boolean;
}) {
  // With workspaces, the same grant can exist in several: say where each one is.
  const byWorkspace = result.ok && result.grants.grants.some((grant) => grant.workspace !== '' && grant.workspace !== DEFAULT_WORKSPACE);
  const description = (
    <>
      As MLflow holds them for <span className="break-all font-medium text-slate-800">{username}</span>. Share or revoke on MLflow&apos;s experiment and model
      pages, or with MLflow&apos;s <code>AuthServiceClient</code>.
    </>
  );
  return (
    <Card id="mlflow-grants-heading" title={heading} description={description}>
      {!result.ok ? (
        <Notice tone={result.reason === 'unknown-user' ? 'info' : 'warning'} testId="mlflow-grants-error">
          {result.message}
        </Notice>
      ) : (
        <div className="space-y-3">
          <p className="text-sm text-slate-700" data-testid="mlflow-roles">
            {result.grants.isAdmin ? 'MLflow admin. ' : ''}MLflow roles: {result.grants.roles.length > 0 ? result.grants.roles.join(', ') : 'none'}
          </p>
          {result.grants.grants.length === 0 ? (
            <EmptyState title={self ? 'Nothing of your own yet' : 'No permissions of their own yet'}>
              {self
                ? 'What you create in MLflow is yours; what others share with you shows up here.'
                : "What they may see follows MLflow's default permission until something is created or shared."}
            </EmptyState>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[28rem] text-left text-sm" data-testid="mlflow-grants">
                <thead className="text-xs uppercase tracking-wide text-slate-500">
                  <tr>
                    {byWorkspace && <th className="py-2 pr-3 font-medium">Workspace</th>}
                    <th className="py-2 pr-3 font-medium">Resource</th>
                    <th className="py-2 pr-3 font-medium">Permission</th>
                    <th className="py-2 font-medium">Through</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {result.grants.grants.map((grant) => (
                    <tr key={`${grant.role}|${grant.workspace}|${grant.resourceType}|${grant.resource}`}>
                      {byWorkspace && <td className="py-2 pr-3 font-mono text-xs">{grant.workspace}</td>}
                      <td className="py-2 pr-3">
                        {resourceLabels[grant.resourceType] ?? grant.resourceType}{' '}
                        <span className="break-all font-mono text-xs text-slate-600">{grant.resource === '*' ? 'all' : grant.resource}</span>
                      </td>
                      <td className="py-2 pr-3 font-medium">{grant.permission}</td>
                      <td className="py-2 break-all text-slate-600">{/^__user_.+__$/.test(grant.role) ? 'their own grants' : `role ${grant.role}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </Card>
  );
}
