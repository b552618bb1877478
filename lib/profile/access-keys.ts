import { z } from 'zod';
import type { Identity } from '@/lib/auth/identity';
import type { AuditEvent } from '@/lib/observability/audit';
import type { AccessKeyInfo, Management } from '@/lib/descope/management';
import { firstIssue, fromFailure, refused, succeeded, type ActionResult } from '@/lib/admin/action-result';
import { expireTimeFor, expiryValues } from '@/lib/profile/expiry';

export const MAX_KEYS_PER_USER = 20;

export const createKeyInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'give the key a name, e.g. "training job"')
    .max(64, 'use at most 64 characters')
    .regex(/^[^\u0000-\u001f<>]+$/, 'use letters, digits, spaces and punctuation only'),
  expiry: z.enum(expiryValues),
  /** Limit the key to these of the owner's roles; empty: all of them. */
  roles: z.array(z.string().trim().min(1).max(128)).max(50).default([]),
});
export const revokeKeyInput = z.object({ keyId: z.string().trim().min(1).max(128) });

export interface NewAccessKey {
  key: AccessKeyInfo;
  /** Shown once, in the dialog; never logged, audited or stored by the portal. */
  cleartext: string;
  trackingUri: string;
}

export interface AccessKeyDeps {
  management: Management | undefined;
  audit(event: AuditEvent): void;
  now(): number;
}

const auditFor = (owner: Identity, deps: AccessKeyDeps, action: string) => (result: AuditEvent['result'], detail: string) =>
  deps.audit({ actorId: owner.userId, actor: owner.email || owner.username, action, target: owner.email || owner.userId, result, detail });

/**
 * Creates an access key bound to the signed-in user: with all of their roles, or limited to some
 * of them (a scoped key, e.g. read-only for a dashboard). Either way it acts with at most the
 * owner's roles as they are when it is used.
 */
export async function createKeyFor(owner: Identity, raw: unknown, trackingUri: string, deps: AccessKeyDeps): Promise<ActionResult<NewAccessKey>> {
  const parsed = createKeyInput.safeParse(raw);
  if (!parsed.success) return refused('bad_input', firstIssue(parsed.error.issues));
  const { name, expiry } = parsed.data;
  const scope = [...new Set(parsed.data.roles)];
  const foreign = scope.filter((role) => !owner.roles.includes(role));
  if (foreign.length > 0) return refused('bad_input', `A key can only be limited to roles you have; you do not have ${foreign.join(', ')}.`);
  const record = auditFor(owner, deps, 'accesskey.create');
  if (!deps.management) return refused('not_configured', 'Access keys need DESCOPE_MANAGEMENT_KEY on the portal. Ask your operator.');
  const existing = await deps.management.listKeys(owner.userId);
  if (!existing.ok) return fromFailure(existing);
  if (existing.data.length >= MAX_KEYS_PER_USER) {
    return refused('limit_reached', `You already have ${MAX_KEYS_PER_USER} access keys. Revoke one you no longer use first.`);
  }
  const created = await deps.management.createKey(owner.userId, name, expireTimeFor(expiry, deps.now()), scope);
  if (!created.ok) {
    record('failure', `"${name}": ${created.failure}`);
    return fromFailure(created);
  }
  record(
    'success',
    `"${name}" ${created.data.key.id}, ${scope.length > 0 ? `limited to ${scope.join(', ')}` : 'all roles'}, expires ${expiry === 'never' ? 'never' : `in ${expiry} days`}`,
  );
  return succeeded({ key: created.data.key, cleartext: created.data.cleartext, trackingUri }, `Created the access key “${name}”.`);
}

/** Deletes one of the signed-in user's own keys; anyone else's key is "not found". */
export async function revokeKeyFor(
  owner: Identity,
  raw: unknown,
  deps: AccessKeyDeps & { forgetKey(keyId: string): void },
): Promise<ActionResult<{ keyId: string }>> {
  const parsed = revokeKeyInput.safeParse(raw);
  if (!parsed.success) return refused('bad_input', firstIssue(parsed.error.issues));
  const { keyId } = parsed.data;
  const record = auditFor(owner, deps, 'accesskey.revoke');
  if (!deps.management) return refused('not_configured', 'Access keys need DESCOPE_MANAGEMENT_KEY on the portal. Ask your operator.');
  const revoked = await deps.management.revokeKey(owner.userId, keyId);
  if (!revoked.ok) {
    record(revoked.failure === 'not_found' ? 'denied' : 'failure', `${keyId}: ${revoked.failure}`);
    return fromFailure(revoked);
  }
  // This instance stops honouring the key at once; others within their cached session's lifetime.
  deps.forgetKey(keyId);
  record('success', `"${revoked.data.name}" ${keyId}`);
  return succeeded({ keyId }, `Revoked the access key “${revoked.data.name}”. Programs using it are refused from now on.`);
}
