import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { KeyStore } from '@/lib/auth/jwks';
import { descopeClaimsSchema, type DescopeClaims } from '@/lib/auth/claims';
import { BoundedCache } from '@/lib/auth/bounded-cache';
import { NO_CACHE_METER, type CacheMeter } from '@/lib/observability/meter';

export type TokenKind = 'session' | 'refresh';

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

/** `iss` is the project id or a URL ending in it (`…/<pid>` or `…/v1/apps/<pid>`), as Descope issues. */
export function issuerMatches(iss: string, projectId: string): boolean {
  if (iss === projectId) return true;
  const segments = iss.split('/').filter(Boolean);
  return segments.at(-1) === projectId || (segments.at(-2) === projectId && segments.length > 1);
}

const expectedDrn: Record<TokenKind, string> = { session: 'DS', refresh: 'DSR' };

/**
 * Descope tokens name no audience by default. One that does must name this project (or an
 * audience the operator listed): a token of this project minted for another app is not for us.
 */
export function audienceAccepted(aud: unknown, projectId: string, extra: readonly string[]): boolean {
  if (aud === undefined) return true;
  const named = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : null;
  if (!named || named.length === 0 || !named.every((entry) => typeof entry === 'string')) return false;
  return named.some((entry) => entry === projectId || extra.includes(entry));
}

interface VerifiedToken {
  claims: DescopeClaims;
  kid: string;
}

export interface VerifierOptions {
  now?: () => number;
  /** Audiences a token may name besides the project id (DESCOPE_AUDIENCE). */
  audiences?: readonly string[];
  /** Hits and misses of the verified-token caches, per token kind. */
  meters?: Record<TokenKind, CacheMeter>;
}

/**
 * Verifies a Descope JWT locally: RS256 only, a key from the project's JWKS, `exp` required and
 * checked (5 s leeway, like Descope's SDK), `nbf`, issuer, and the token type (`drn`) so a refresh
 * token never passes as a session token. Verified tokens are remembered until they expire:
 * a repeat costs a map lookup instead of an RSA verification.
 */
export class JwtVerifier {
  // One cache per token kind, keyed by the token itself (no per-request key string to build).
  // Entries expire with the token's own `exp`; each cache holds at most 10 000 tokens. Each entry
  // remembers its signing key: once Descope stops publishing that key, its tokens stop passing.
  private readonly verified: Record<TokenKind, BoundedCache<string, VerifiedToken>> = {
    session: new BoundedCache(10_000),
    refresh: new BoundedCache(10_000),
  };
  // Tokens signed out on this instance, until they expire: a JWT stays valid by its signature, so
  // without this a copied session cookie would keep working here after its owner signed out.
  private readonly revoked = new BoundedCache<string, true>(10_000);

  private readonly now: () => number;
  private readonly audiences: readonly string[];
  private readonly meters: Record<TokenKind, CacheMeter>;

  constructor(
    private readonly keys: KeyStore,
    private readonly projectId: string,
    options: VerifierOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.audiences = options.audiences ?? [];
    this.meters = options.meters ?? { session: NO_CACHE_METER, refresh: NO_CACHE_METER };
  }

  /**
   * The claims of a token this verifier already accepted and that has not expired since. A hit
   * is counted here, a miss by verify(), so a peek followed by a verification counts once.
   */
  peek(token: string, kind: TokenKind): DescopeClaims | undefined {
    const entry = this.verified[kind].get(token, this.now());
    if (!entry || !this.keys.has(entry.kid)) return undefined;
    this.meters[kind].hit.inc();
    return entry.claims;
  }

  /**
   * Stops accepting a verified token on this instance (sign-out) until it expires by itself. Only
   * tokens that verify are remembered, so junk sent to /auth/logout cannot crowd out real entries.
   */
  async revoke(token: string, kind: TokenKind): Promise<void> {
    const claims = await this.verify(token, kind).catch(() => undefined);
    this.verified[kind].delete(token);
    if (claims) this.revoked.set(token, true, claims.exp * 1000 + 5_000);
  }

  async verify(token: string, kind: TokenKind): Promise<DescopeClaims> {
    const hit = this.peek(token, kind);
    if (hit) return hit;
    this.meters[kind].miss.inc();
    if (this.revoked.get(token, this.now())) throw new InvalidTokenError('this session was signed out');

    const header = safeHeader(token);
    if (header.alg !== 'RS256' || typeof header.kid !== 'string') throw new InvalidTokenError('unsupported token header');
    const key = await this.keys.keyFor(header.kid);
    if (!key) throw new InvalidTokenError('token signed with an unknown key');

    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: ['RS256'],
        clockTolerance: 5,
        requiredClaims: ['exp', 'sub', 'iss'],
        currentDate: new Date(this.now()),
      }));
    } catch (error) {
      throw new InvalidTokenError(error instanceof Error ? error.message : 'token verification failed');
    }
    const parsed = descopeClaimsSchema.safeParse(payload);
    if (!parsed.success) throw new InvalidTokenError('token claims are malformed');
    const claims = parsed.data;
    if (!issuerMatches(claims.iss, this.projectId)) throw new InvalidTokenError('token issued for another project');
    if (!audienceAccepted(claims.aud, this.projectId, this.audiences)) throw new InvalidTokenError('token issued for another audience');
    // Descope marks refresh tokens with drn=DSR; session tokens carry DS (or, from older projects, no drn).
    const drn = claims.drn ?? 'DS';
    if (drn !== expectedDrn[kind]) throw new InvalidTokenError(`a ${drn === 'DSR' ? 'refresh' : 'non-session'} token is not a ${kind} token`);

    this.verified[kind].set(token, { claims, kid: header.kid }, claims.exp * 1000);
    return claims;
  }
}

function safeHeader(token: string): ReturnType<typeof decodeProtectedHeader> {
  try {
    return decodeProtectedHeader(token);
  } catch {
    throw new InvalidTokenError('not a JWT');
  }
}

/** Three base64url segments with a JSON header: a JWT, as opposed to an access key. */
export function looksLikeJwt(token: string): boolean {
  if (!/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) return false;
  try {
    decodeProtectedHeader(token);
    return true;
  } catch {
    return false;
  }
}
