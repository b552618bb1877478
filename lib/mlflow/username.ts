import type { Config } from '@/lib/config';

/**
 * The MLflow user name a Descope user gets, from their directory record: the claim
 * DESCOPE_USERNAME_CLAIM names, when the record holds it. A custom claim lives only in the
 * user's tokens, so it cannot be known from here.
 */
export function mlflowUsernameOf(user: { userId: string; email: string }, config: Pick<Config, 'usernameClaim'>): string | undefined {
  if (config.usernameClaim === 'sub') return user.userId;
  if (config.usernameClaim === 'email') return user.email || undefined;
  return undefined;
}
