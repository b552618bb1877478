import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `SK2${randomBytes(18).toString('base64url')}`;
  const { kty, n, e } = await exportJWK(publicKey);
  return { kid, privateKey, publicKey, jwk: { kty, n, e, kid, alg: 'RS256', use: 'sig' } };
}

/**
 * The project's signing keys: the current one signs, the previous one (kept across a rotation
 * unless dropped) still verifies, and both are published, as Descope does while rotating.
 */
export class KeyRing {
  private previous: SigningKey | undefined;

  private constructor(private current: SigningKey) {}

  static async create(): Promise<KeyRing> {
    return new KeyRing(await newSigningKey());
  }

  get signing(): { kid: string; privateKey: CryptoKey } {
    return this.current;
  }

  async rotate(keepPrevious: boolean): Promise<string> {
    const next = await newSigningKey();
    this.previous = keepPrevious ? this.current : undefined;
    this.current = next;
    return next.kid;
  }

  jwks(): { keys: JWK[] } {
    return { keys: this.published().map((key) => ({ ...key.jwk })) };
  }

  verificationKey(kid: string | undefined): CryptoKey | undefined {
    return this.published().find((key) => key.kid === kid)?.publicKey;
  }

  private published(): SigningKey[] {
    return this.previous ? [this.current, this.previous] : [this.current];
  }
}
