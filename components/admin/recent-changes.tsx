import type { AuditRecord } from '@/lib/observability/audit';
import { Card } from '@/components/ui/card';
import { formatDateTime } from '@/components/ui/format';

const resultStyles: Record<AuditRecord['result'], string> = {
  success: 'bg-emerald-100 text-emerald-800',
  failure: 'bg-red-100 text-red-800',
  denied: 'bg-amber-100 text-amber-900',
};

// [done, attempted, preposition before the target] per audited action; `null` puts the target
// first and the detail after it, in parentheses ("disabled reader@… (sessions ended)").
const phrases: Record<string, [string, string, string | null]> = {
  'admin.role.add': ['granted', 'tried to grant', 'to'],
  'admin.role.remove': ['removed', 'tried to remove', 'from'],
  'admin.accesskey.revoke': ['revoked access key', 'tried to revoke access key', 'of'],
  'admin.user.disable': ['disabled', 'tried to disable', null],
  'admin.user.enable': ['enabled', 'tried to enable', null],
  'admin.user.logout': ['ended the sessions of', 'failed to end the sessions of', null],
  'accesskey.create': ['created access key', 'tried to create access key', ''],
  'accesskey.revoke': ['revoked access key', 'tried to revoke access key', ''],
};

function sentence(event: AuditRecord): string {
  const [done, attempted, preposition] = phrases[event.action] ?? [event.action, `tried ${event.action}`, 'on'];
  const verb = event.result === 'success' ? done : attempted;
  if (preposition === null)
    return event.result === 'denied' ? `was refused: ${event.action} ${event.target}` : `${verb} ${event.target}${event.detail ? ` (${event.detail})` : ''}`;
  const target = preposition ? ` ${preposition} ${event.target}` : '';
  if (event.result === 'denied') return `was refused: ${event.action}${target}${event.detail ? ` (${event.detail})` : ''}`;
  return `${verb} ${event.detail ?? ''}${target}`;
}

/** The audit trail's newest admin and access-key events: who, what, on whom, when, with what result. */
export function RecentChanges({ events, unreadable, title = 'Recent changes' }: { events: AuditRecord[]; unreadable: boolean; title?: string }) {
  return (
    <Card id="recent-changes-heading" title={title} description="From the audit log, newest first.">
      {unreadable ? (
        <p className="text-sm text-red-700">The audit log could not be read. Changes are still being recorded.</p>
      ) : events.length === 0 ? (
        <p className="text-sm text-slate-500">No changes recorded yet.</p>
      ) : (
        <ol className="space-y-3 text-sm" data-testid="recent-changes">
          {events.map((event, index) => (
            <li key={`${event.time}-${index}`} className="border-l-2 border-slate-200 pl-3">
              <p className="break-words text-slate-800">
                <span className="font-medium">{event.actor || event.actorId}</span> {sentence(event)}
              </p>
              <p className="mt-0.5 flex flex-wrap items-center gap-2 text-xs text-slate-500">
                <time dateTime={event.time}>{formatDateTime(Date.parse(event.time))}</time>
                <span className={`rounded-full px-1.5 py-px font-semibold ${resultStyles[event.result] ?? ''}`}>{event.result}</span>
              </p>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
