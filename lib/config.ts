import { BlockList, isIP } from 'node:net';
import { z } from 'zod';
import { PERMISSIONS, type Permission } from '@/lib/auth/permission';
import { DEFAULT_WORKSPACE, tenantWorkspaceMap, type TenantWorkspaceMap } from '@/lib/workspaces/tenant-workspaces';

/** Thrown at start-up; the message is one line naming the variable and the fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const roleList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((raw) =>
      raw
        .split(',')
        .map((role) => role.trim())
        .filter(Boolean),
    );

const httpUrl = z
  .string()
  .trim()
  .refine((raw) => {
    try {
      return ['http:', 'https:'].includes(new URL(raw).protocol);
    } catch {
      return false;
    }
  })
  .transform((raw) => raw.replace(/\/+$/, ''));

/** One word of a fixed set, in any case: `PORTAL_AUTHZ=MLflow` is `mlflow`. */
const choice = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z.string().trim().toLowerCase().pipe(z.enum(values)).default(fallback);

const positiveInt = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

// An address or a CIDR block, IPv4 or IPv6: `10.0.0.0/8`, `127.0.0.1`, `fd00::/8`.
const addressOrBlock = (raw: string) => {
  const [address, bits, ...rest] = raw.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return /^\d{1,3}$/.test(bits) && prefix <= (family === 4 ? 32 : 128);
};
const addressList = z
  .string()
  .transform((raw) =>
    raw
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .refine((entries) => entries.every(addressOrBlock));

const schema = z.object({
  DESCOPE_PROJECT_ID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{4,64}$/),
  DESCOPE_MANAGEMENT_KEY: z.string().trim().min(1).optional(),
  DESCOPE_BASE_URL: httpUrl.optional(),
  DESCOPE_FLOW_ID: z.string().trim().min(1).default('sign-up-or-in'),
  DESCOPE_REDIRECT_URL: z
    .string()
    .trim()
    .regex(/^\/(?![/\\])/)
    .default('/'),
  DESCOPE_ADMIN_ROLES: roleList('admin,mlflow-admin'),
  DESCOPE_EDITOR_ROLES: roleList('mlflow-editor'),
  DESCOPE_READER_ROLES: roleList('mlflow-reader'),
  DESCOPE_DEFAULT_PERMISSION: z
    .string()
    .trim()
    .transform((raw) => raw.toUpperCase())
    .pipe(z.enum(PERMISSIONS))
    .default('READ'),
  DESCOPE_USERNAME_CLAIM: z
    .string()
    .trim()
    .regex(/^[A-Za-z_][A-Za-z0-9_.:-]*$/)
    .default('email'),
  DESCOPE_TENANT_ID: z.string().trim().min(1).optional(),
  DESCOPE_AUDIENCE: z
    .string()
    .trim()
    .regex(/^[^\s,]+(\s*,\s*[^\s,]+)*$/)
    .optional(),
  MLFLOW_UPSTREAM_URL: httpUrl.default('http://127.0.0.1:5000'),
  MLFLOW_UPSTREAM_TIMEOUT_MS: positiveInt(60_000, 3_600_000),
  MLFLOW_UPSTREAM_ID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{8,128}$/)
    .optional(),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOSTNAME: z.string().trim().min(1).default('0.0.0.0'),
  PORTAL_PUBLIC_URL: httpUrl.optional(),
  PORTAL_AUDIT_LOG: z.string().trim().min(1).default('stdout'),
  PORTAL_MAX_BODY_BYTES: z.coerce.number().int().min(1).optional(),
  PORTAL_TRUSTED_PROXIES: addressList.optional(),
  PORTAL_AUTHZ: choice(['roles', 'mlflow'], 'roles'),
  // Shared with MLflow's plugin; HS256 wants at least as many bytes as the hash.
  PORTAL_ASSERTION_SECRET: z
    .string()
    .refine((raw) => Buffer.byteLength(raw) >= 32)
    .optional(),
  PORTAL_WORKSPACES: choice(['off', 'tenants'], 'off'),
  DESCOPE_TENANT_WORKSPACES: z.string().optional(),
  PORTAL_DEFAULT_WORKSPACE: choice(['closed', 'open'], 'closed'),
  PORTAL_WORKSPACE_PROJECT_ROLES: choice(['true', 'false'], 'true'),
  // Off unless set: /metrics is served on its own listener, never on the public port.
  PORTAL_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  PORTAL_METRICS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  // Set by Vercel itself on its functions; any value but "0" means the portal runs there.
  VERCEL: z.string().optional(),
});

/** The fix to print for each variable, so one line is enough to act on. */
const fixes: Record<keyof z.input<typeof schema>, string> = {
  DESCOPE_PROJECT_ID: 'set it to your Descope project id (Descope console → Project settings), e.g. P2abc…',
  DESCOPE_MANAGEMENT_KEY: 'set a management key from the Descope console, or unset it',
  DESCOPE_BASE_URL: 'use an absolute http(s) URL such as https://api.descope.com, or unset it',
  DESCOPE_FLOW_ID: 'name the Descope flow to show on /auth/login, e.g. sign-up-or-in',
  DESCOPE_REDIRECT_URL: 'use a same-origin path starting with a single "/", e.g. /mlflow/',
  DESCOPE_ADMIN_ROLES: 'use a comma-separated list of Descope role names',
  DESCOPE_EDITOR_ROLES: 'use a comma-separated list of Descope role names',
  DESCOPE_READER_ROLES: 'use a comma-separated list of Descope role names',
  DESCOPE_DEFAULT_PERMISSION: `use one of ${PERMISSIONS.join(', ')}`,
  DESCOPE_USERNAME_CLAIM: 'name a JWT claim such as sub, email or name',
  DESCOPE_TENANT_ID: 'set a Descope tenant id, or unset it',
  DESCOPE_AUDIENCE: 'use a comma-separated list of audiences (besides the project id) your session tokens may carry, or unset it',
  MLFLOW_UPSTREAM_URL: 'use the MLflow server URL, e.g. http://127.0.0.1:5000',
  MLFLOW_UPSTREAM_TIMEOUT_MS: 'use a whole number of milliseconds between 1 and 3600000',
  MLFLOW_UPSTREAM_ID: 'use 8–128 letters, digits, ".", "_" or "-" (the content of .portal-upstream-id in MLflow\'s artifact root), or unset it',
  PORT: 'use a port number between 0 and 65535',
  HOSTNAME: 'use an interface address such as 0.0.0.0 or 127.0.0.1',
  PORTAL_PUBLIC_URL: "use the portal's external URL, e.g. https://mlflow.example.com",
  PORTAL_AUDIT_LOG: 'use "stdout" or a file path',
  PORTAL_MAX_BODY_BYTES: 'use a whole number of bytes',
  PORTAL_TRUSTED_PROXIES: 'use a comma-separated list of proxy addresses or CIDR blocks, e.g. 10.0.0.0/8,127.0.0.1',
  PORTAL_AUTHZ: 'use "roles" (the portal\'s role gate) or "mlflow" (plus MLflow\'s per-resource permissions through the plugin in mlflow-plugin/)',
  PORTAL_ASSERTION_SECRET: "use a random secret of at least 32 bytes, the same one MLflow's plugin has (e.g. `openssl rand -base64 48`)",
  PORTAL_WORKSPACES:
    'use "off" or "tenants" (each Descope tenant gets its own MLflow workspace; needs PORTAL_AUTHZ=mlflow and MLflow started with --enable-workspaces)',
  DESCOPE_TENANT_WORKSPACES: 'use comma-separated tenant=workspace pairs, e.g. T2abc=acme,T2xyz=globex (workspace names: 2–63 of a–z, 0–9 and inner "-")',
  PORTAL_DEFAULT_WORKSPACE: 'use "closed" (only admins use MLflow\'s default workspace) or "open" (every signed-in user does, with their project roles)',
  PORTAL_WORKSPACE_PROJECT_ROLES: 'use "true" (project roles count in each of the user\'s workspaces) or "false" (only that tenant\'s roles do)',
  PORTAL_METRICS_PORT: 'use a port number for the metrics listener (not PORT), or unset it to turn metrics exposure off',
  PORTAL_METRICS_HOST: 'use the interface the metrics listener binds to, e.g. 127.0.0.1 (the default) or the address your Prometheus reaches',
  VERCEL: 'unset it outside Vercel',
};

export interface Config {
  projectId: string;
  managementKey: string | undefined;
  descopeBaseUrl: string | undefined;
  /** True when DESCOPE_BASE_URL points at a loopback host: the local emulator. */
  emulatorMode: boolean;
  flowId: string;
  redirectPath: string;
  adminRoles: string[];
  editorRoles: string[];
  readerRoles: string[];
  defaultPermission: Permission;
  usernameClaim: string;
  tenantId: string | undefined;
  /** Audiences a session token may name besides the project id (DESCOPE_AUDIENCE). */
  audiences: string[];
  upstreamUrl: URL;
  upstreamTimeoutMs: number;
  /** MLFLOW_UPSTREAM_ID: what the upstream's `.portal-upstream-id` artifact must say (lib/health.ts). */
  upstreamId: string | undefined;
  port: number;
  hostname: string;
  publicUrl: URL | undefined;
  auditLog: string;
  /** Request body cap: PORTAL_MAX_BODY_BYTES, else Vercel's 4.5 MB on Vercel, else none. */
  maxBodyBytes: number | undefined;
  /** Proxies whose X-Forwarded-For is believed (PORTAL_TRUSTED_PROXIES); empty: none. */
  trustedProxies: TrustedProxies;
  /** Running as a Vercel function. */
  vercel: boolean;
  /** `roles`: the role gate alone; `mlflow`: MLflow's RBAC decides per resource from EDIT up. */
  authz: 'roles' | 'mlflow';
  /** Key of the X-Descope-Assertion JWT (PORTAL_ASSERTION_SECRET); set whenever authz is mlflow. */
  assertionSecret: Uint8Array | undefined;
  /** Where /metrics is served (PORTAL_METRICS_PORT, PORTAL_METRICS_HOST); undefined: not served. */
  metrics: { port: number; host: string } | undefined;
  /** PORTAL_WORKSPACES=tenants: each Descope tenant is an MLflow workspace; undefined when off. */
  workspaces: WorkspaceSettings | undefined;
}

export interface WorkspaceSettings {
  tenants: TenantWorkspaceMap;
  /** PORTAL_DEFAULT_WORKSPACE=open: every signed-in user may use MLflow's `default` workspace. */
  defaultOpen: boolean;
  /** PORTAL_WORKSPACE_PROJECT_ROLES: project roles count in each of the user's workspaces. */
  projectRoles: boolean;
}

/** Vercel refuses function request bodies over 4.5 MB; the portal refuses them first, with a reason. */
export const VERCEL_BODY_LIMIT = 4_500_000;

export interface TrustedProxies {
  entries: string[];
  has(address: string): boolean;
}

function trustedProxies(entries: string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return {
    entries,
    has(address: string) {
      // IPv4 peers of a dual-stack socket arrive as ::ffff:a.b.c.d.
      const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
      const family = isIP(plain);
      return family !== 0 && entries.length > 0 && list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

const secretVariables = new Set<string>(['DESCOPE_MANAGEMENT_KEY', 'PORTAL_ASSERTION_SECRET']);

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

export function parseConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "unset": shells and .env files produce them all the time.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue.path[0]) as keyof typeof fixes;
    const value = present[name];
    // Secrets are described, never echoed: this line goes to logs.
    const shown = secretVariables.has(name) ? `${Buffer.byteLength(value ?? '')} bytes` : JSON.stringify(value);
    const problem = value === undefined ? 'is required' : `is invalid (${shown})`;
    throw new ConfigError(`${name} ${problem}: ${fixes[name]}`);
  }
  const v = result.data;
  if (v.PORTAL_AUTHZ === 'mlflow' && v.PORTAL_ASSERTION_SECRET === undefined) {
    throw new ConfigError(`PORTAL_ASSERTION_SECRET is required when PORTAL_AUTHZ=mlflow: ${fixes.PORTAL_ASSERTION_SECRET}`);
  }
  if (v.PORTAL_METRICS_PORT !== undefined && v.PORTAL_METRICS_PORT !== 0 && v.PORTAL_METRICS_PORT === v.PORT) {
    throw new ConfigError(`PORTAL_METRICS_PORT is invalid (${v.PORTAL_METRICS_PORT}, the same as PORT): ${fixes.PORTAL_METRICS_PORT}`);
  }
  const workspaces = v.PORTAL_WORKSPACES === 'tenants' ? workspaceSettings(v) : undefined;
  const vercel = v.VERCEL !== undefined && v.VERCEL !== '0';
  const baseHost = v.DESCOPE_BASE_URL ? new URL(v.DESCOPE_BASE_URL).hostname : undefined;
  return {
    projectId: v.DESCOPE_PROJECT_ID,
    managementKey: v.DESCOPE_MANAGEMENT_KEY,
    descopeBaseUrl: v.DESCOPE_BASE_URL,
    emulatorMode: baseHost !== undefined && (loopbackHosts.has(baseHost) || baseHost.startsWith('127.')),
    flowId: v.DESCOPE_FLOW_ID,
    redirectPath: v.DESCOPE_REDIRECT_URL,
    adminRoles: v.DESCOPE_ADMIN_ROLES,
    editorRoles: v.DESCOPE_EDITOR_ROLES,
    readerRoles: v.DESCOPE_READER_ROLES,
    defaultPermission: v.DESCOPE_DEFAULT_PERMISSION,
    usernameClaim: v.DESCOPE_USERNAME_CLAIM,
    tenantId: v.DESCOPE_TENANT_ID,
    audiences: v.DESCOPE_AUDIENCE ? v.DESCOPE_AUDIENCE.split(',').map((entry) => entry.trim()) : [],
    upstreamUrl: new URL(v.MLFLOW_UPSTREAM_URL),
    upstreamTimeoutMs: v.MLFLOW_UPSTREAM_TIMEOUT_MS,
    upstreamId: v.MLFLOW_UPSTREAM_ID,
    port: v.PORT,
    hostname: v.HOSTNAME,
    publicUrl: v.PORTAL_PUBLIC_URL ? new URL(v.PORTAL_PUBLIC_URL) : undefined,
    auditLog: v.PORTAL_AUDIT_LOG,
    maxBodyBytes: v.PORTAL_MAX_BODY_BYTES ?? (vercel ? VERCEL_BODY_LIMIT : undefined),
    trustedProxies: trustedProxies(v.PORTAL_TRUSTED_PROXIES ?? []),
    vercel,
    authz: v.PORTAL_AUTHZ,
    assertionSecret: v.PORTAL_ASSERTION_SECRET === undefined ? undefined : new TextEncoder().encode(v.PORTAL_ASSERTION_SECRET),
    metrics: v.PORTAL_METRICS_PORT === undefined ? undefined : { port: v.PORTAL_METRICS_PORT, host: v.PORTAL_METRICS_HOST },
    workspaces,
  };
}

function workspaceSettings(v: z.output<typeof schema>): WorkspaceSettings {
  if (v.PORTAL_AUTHZ !== 'mlflow') {
    throw new ConfigError(
      'PORTAL_WORKSPACES=tenants needs PORTAL_AUTHZ=mlflow: workspaces are enforced by MLflow\'s RBAC with the portal\'s plugin (see README, "Tenants as workspaces")',
    );
  }
  if (v.DESCOPE_TENANT_ID !== undefined) {
    throw new ConfigError(
      "DESCOPE_TENANT_ID cannot be combined with PORTAL_WORKSPACES=tenants: there every tenant's roles count in that tenant's own workspace; unset DESCOPE_TENANT_ID",
    );
  }
  let tenants: TenantWorkspaceMap;
  try {
    tenants = tenantWorkspaceMap(v.DESCOPE_TENANT_WORKSPACES);
  } catch (error) {
    throw new ConfigError(`DESCOPE_TENANT_WORKSPACES is invalid (${(error as Error).message}): ${fixes.DESCOPE_TENANT_WORKSPACES}`);
  }
  const defaultOpen = v.PORTAL_DEFAULT_WORKSPACE === 'open';
  const sharing = [...tenants.overrides].find(([, name]) => name === DEFAULT_WORKSPACE);
  if (defaultOpen && sharing) {
    throw new ConfigError(
      `DESCOPE_TENANT_WORKSPACES maps tenant ${sharing[0]} to "default", which PORTAL_DEFAULT_WORKSPACE=open opens to everyone: map it elsewhere or keep the default workspace closed`,
    );
  }
  return { tenants, defaultOpen, projectRoles: v.PORTAL_WORKSPACE_PROJECT_ROLES === 'true' };
}

let cached: Config | undefined;

/** The process's configuration, parsed once. Throws ConfigError on bad input. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
