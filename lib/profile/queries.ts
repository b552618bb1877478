import 'server-only';
import type { Identity } from '@/lib/auth/identity';
import { notConfigured, type AccessKeyInfo, type Outcome } from '@/lib/descope/management';
import { portalRuntime } from '@/lib/runtime';

/** The signed-in user's own access keys, newest first. */
export async function loadOwnAccessKeys(owner: Identity): Promise<Outcome<AccessKeyInfo[]>> {
  const { management } = portalRuntime();
  return management ? management.listKeys(owner.userId) : notConfigured();
}
