import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { z } from 'zod';
import { badRequest, unauthorized } from './http';
import type { AssociatedTenant } from './directory';
import type { KeyRing } from './keys';

/** Whoever a token is about: a user, or an access key (then `sub` is the key id and there is no email). */
export interface Principal {
  sub: string;
  roleNames: readonly string[];
  tenants: readonly AssociatedTenant[];
  email?: string;
  name?: string;
}

export interface MintedToken {
  jwt: string;
  claims: JWTPayload;
  exp: number;
}

const drnOf = { session: 'DS', refresh: 'DSR' } as const;

const refreshClaimsSchema = z.object({
  sub: z.string().min(1),
  jti: z.string().min(1),
  exp: z.number(),
  drn: z.literal('DSR'),
});

export type RefreshClaims = z.infer<typeof refreshClaimsSchema>;

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Mints and checks RS256 JWTs with Descope's claim layout, signed by the emulator's current key. */
export class TokenMinter {
  constructor(
    private readonly keys: KeyRing,
    readonly issuer: string,
    private readonly permissionsFor: (roleNames: readonly string[]) => string[],
  ) {}

  async mint(principal: Principal, kind: keyof typeof drnOf, exp: number): Promise<MintedToken> {
    const tenants = Object.fromEntries(
      principal.tenants.map((tenant) => [tenant.tenantId, { roles: [...tenant.roleNames], permissions: this.permissionsFor(tenant.roleNames) }]),
    );
    const claims: JWTPayload = {
      sub: principal.sub,
      iss: this.issuer,
      iat: nowSeconds(),
      exp,
      jti: randomBytes(16).toString('base64url'),
      drn: drnOf[kind],
      amr: ['emulator'],
      roles: [...principal.roleNames],
      permissions: this.permissionsFor(principal.roleNames),
      tenants,
      ...(principal.email ? { email: principal.email } : {}),
      ...(principal.name ? { name: principal.name } : {}),
    };
    return { jwt: await this.sign(claims), claims, exp };
  }

  /** Signs exactly the given claims (no defaults added), so tests can forge expired or exp-less tokens. */
  async sign(claims: JWTPayload, header: Partial<JWTHeaderParameters> = {}): Promise<string> {
    const { kid, privateKey } = this.keys.signing;
    try {
      return await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid, ...header }).sign(privateKey);
    } catch (error) {
      throw badRequest(`cannot sign: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** A refresh token this emulator issued and that is still valid; revocation is the caller's check. */
  async verifyRefresh(jwt: string): Promise<RefreshClaims> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, (header) => this.verificationKey(header.kid), { issuer: this.issuer, algorithms: ['RS256'] }));
    } catch (error) {
      throw unauthorized(`invalid refresh token: ${error instanceof Error ? error.message : String(error)}`);
    }
    const parsed = refreshClaimsSchema.safeParse(payload);
    if (!parsed.success) throw unauthorized('the token is not a refresh token');
    return parsed.data;
  }

  private verificationKey(kid: string | undefined) {
    const key = this.keys.verificationKey(kid);
    if (!key) throw new Error('the token was not signed by a current key');
    return key;
  }
}
