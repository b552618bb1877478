/**
 * When a role change reaches MLflow, in words shown where admins make changes and in README. What
 * bounds it: this instance refreshes every older session of the user at their next request (see
 * lib/auth/role-changes.ts); any other instance keeps trusting a session JWT until its `exp`,
 * which is the session token lifetime set in Descope, and a cached access-key exchange as long.
 */
export const SESSION_LIFETIME = 'the session token lifetime set in Descope, 10 minutes by default';

export const ROLE_CHANGE_TIMING = {
  grant: `at once on this portal instance; on other instances from their next session refresh, within ${SESSION_LIFETIME}.`,
  removal: `on this portal instance their next browser request is refused until they sign in again, and their access keys act with the remaining roles at once; other instances accept a session they already hold (and a cached access-key session) until it expires, within ${SESSION_LIFETIME}.`,
  removalWithoutLogout: `this portal instance refreshes their session at their next request; other instances keep their current session until it expires, within ${SESSION_LIFETIME}.`,
} as const;

/** The one-paragraph version, for the admin pages. */
export const ROLE_CHANGE_SUMMARY = `Changes apply at Descope at once. Removing a role (or disabling a user) also ends their sessions: their next request to this portal instance is refused until they sign in again. Other portal instances accept a session they already hold until it expires, within ${SESSION_LIFETIME}; access keys follow within the same time.`;
