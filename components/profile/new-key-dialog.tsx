'use client';

import type { NewAccessKey } from '@/lib/profile/access-keys';
import { Dialog } from '@/components/ui/dialog';
import { CodeBlock } from '@/components/ui/code-block';
import { buttonClass } from '@/components/ui/button';
import { formatDate } from '@/components/ui/format';

const pythonExample = `import mlflow

# The client reads MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN from the environment.
mlflow.set_experiment("my-experiment")
with mlflow.start_run():
    mlflow.log_param("learning_rate", 0.01)
    mlflow.log_metric("accuracy", 0.93)`;

/** Shows a new key's cleartext exactly once, with ready-to-paste setup for the mlflow client. */
export function NewKeyDialog({ created, onClose }: { created: NewAccessKey | undefined; onClose(): void }) {
  const shell = created ? `export MLFLOW_TRACKING_URI=${created.trackingUri}\nexport MLFLOW_TRACKING_TOKEN=${created.cleartext}` : '';
  return (
    <Dialog
      open={created !== undefined}
      onClose={onClose}
      title="Your new access key"
      testId="new-key-dialog"
      description={
        <>
          Copy it now: <strong className="text-slate-900">this is the only time it is shown.</strong> Anyone holding it can use MLflow as you, with your current
          roles (or the ones you limited it to).
        </>
      }
    >
      {created && (
        <div className="space-y-4">
          <p className="text-sm text-slate-700">
            <span className="font-medium">{created.key.name}</span> · {created.key.expiresAt ? `expires ${formatDate(created.key.expiresAt)}` : 'never expires'}{' '}
            · {created.key.scope.length > 0 ? `only ${created.key.scope.join(', ')}` : 'all your roles'}
          </p>
          <CodeBlock label="Access key" code={created.cleartext} copyLabel="Copy key" testId="new-access-key" />
          <CodeBlock label="Shell" code={shell} copyLabel="Copy snippet" testId="new-key-snippet" />
          <CodeBlock label="Python" code={pythonExample} copyLabel="Copy example" />
          <div className="flex justify-end">
            <button type="button" onClick={onClose} className={buttonClass('primary')}>
              Done, I have copied it
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
