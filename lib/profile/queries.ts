import 'server-only';
import type { Identity } from '@/lib/auth/identity';
import { getManagement, notConfigured, type AccessKeyInfo, type Outcome } from '@/lib/descope/management';

/** The signed-in user's own access keys, newest first. */
export async function loadOwnAccessKeys(owner: Identity): Promise<Outcome<AccessKeyInfo[]>> {
  const management = getManagement();
  return management ? management.listKeys(owner.userId) : notConfigured();
}
