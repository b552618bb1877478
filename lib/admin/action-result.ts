import { failureMessages, type ManagementFailure, type Outcome } from '@/lib/descope/management';

export type ActionFailure = ManagementFailure | 'forbidden' | 'bad_input' | 'confirm_required' | 'limit_reached';

/**
 * What every portal server action returns: a typed success or a typed refusal with a message fit
 * to show. Actions never throw SDK errors at the client; only Next's own redirects pass through.
 */
export type ActionResult<T> = { ok: true; data: T; message: string } | { ok: false; code: ActionFailure; message: string };

export const succeeded = <T>(data: T, message: string): ActionResult<T> => ({ ok: true, data, message });
export const refused = <T>(code: ActionFailure, message: string): ActionResult<T> => ({ ok: false, code, message });

export function fromFailure<T>(outcome: Extract<Outcome<unknown>, { ok: false }>): ActionResult<T> {
  return refused(outcome.failure, outcome.message || failureMessages[outcome.failure]);
}

/** The first problem zod found, phrased for a person (field name first). */
export function firstIssue(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const issue = issues[0];
  if (!issue) return 'The request was not understood.';
  return issue.path.length > 0 ? `${String(issue.path[0])}: ${issue.message}` : issue.message;
}
