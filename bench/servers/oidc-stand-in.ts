import { createServer, type Server } from 'node:http';
import { listenOnLoopback } from '../../tools/local-stack/wait';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK } from 'jose';

export interface OidcStandIn {
  url: string;
  /** Discovery document URL, for OIDC_DISCOVERY_URL. */
  discoveryUrl: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

/**
 * A minimal OpenID provider on loopback for mlflow-oidc-auth, which cannot reach a real one here:
 * discovery document, JWKS, a token endpoint (password and client-credentials grants issue RS256
 * access tokens scoped to the client by `aud` and `iss`) and userinfo. Every known user is in the
 * `mlflow` group, which mlflow-oidc-auth admits by default.
 */
export async function startOidcStandIn(users: Record<string, string>): Promise<OidcStandIn> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'RS256', use: 'sig' };
  const clientId = 'mlflow-bench';
  const clientSecret = 'bench-client-secret';
  let url = '';

  const issue = (username: string) =>
    new SignJWT({ email: username, preferred_username: username.split('@')[0], name: username, groups: ['mlflow'] })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
      .setIssuer(url)
      .setAudience(clientId)
      .setSubject(username)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);

  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const path = new URL(req.url ?? '/', url).pathname;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString());
    if (path === '/.well-known/openid-configuration') {
      return send(200, {
        issuer: url,
        authorization_endpoint: `${url}/authorize`,
        token_endpoint: `${url}/token`,
        userinfo_endpoint: `${url}/userinfo`,
        jwks_uri: `${url}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        grant_types_supported: ['password', 'client_credentials'],
        scopes_supported: ['openid', 'email', 'profile'],
      });
    }
    if (path === '/jwks') return send(200, { keys: [jwk] });
    if (path === '/token' && req.method === 'POST') {
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) return send(401, { error: 'invalid_client' });
      const username = form.get('username') ?? '';
      if (form.get('grant_type') !== 'password' || users[username] === undefined || users[username] !== form.get('password')) {
        return send(400, { error: 'invalid_grant' });
      }
      const token = await issue(username);
      return send(200, { access_token: token, id_token: token, token_type: 'Bearer', expires_in: 3600 });
    }
    if (path === '/userinfo') {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      try {
        const { payload } = await jwtVerify(token, publicKey, { issuer: url, audience: clientId });
        return send(200, {
          sub: payload.sub,
          email: payload.email,
          preferred_username: payload.preferred_username,
          name: payload.name,
          groups: payload.groups,
        });
      } catch {
        return send(401, { error: 'invalid_token' });
      }
    }
    send(404, { error: 'not_found' });
  });
  const listening = await listenOnLoopback(server);
  url = listening.url;
  return { url, discoveryUrl: `${url}/.well-known/openid-configuration`, clientId, clientSecret, close: listening.close };
}

/** The benchmark client's sign-in: a password grant against the stand-in's token endpoint. */
export async function passwordGrant(idp: OidcStandIn, username: string, password: string): Promise<string> {
  const response = await fetch(`${idp.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: idp.clientId,
      client_secret: idp.clientSecret,
      username,
      password,
      scope: 'openid email profile',
    }),
  });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
