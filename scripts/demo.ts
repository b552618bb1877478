import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { clearRunningDemo, recordRunningDemo } from '../tools/local-stack/demo-lock';
import { demoOptions, type DemoOptions } from '../tools/local-stack/demo-options';
import { assertPortsFree, type PortClaim } from '../tools/local-stack/ports';
import { DEMO_TENANT_WORKSPACES, startStack } from '../tools/local-stack/stack';
import { tenantWorkspaceMap } from '../lib/workspaces/tenant-workspaces';

/**
 * `npm run demo`: the whole product on local defaults, offline. Checks its three ports, installs
 * MLflow 3.18 into a venv on first run, builds the portal if needed, then starts the Descope
 * emulator (:4400), MLflow (:5000, SQLite and artifacts under .demo/) and the portal (:3000).
 */
function fail(message: string): never {
  console.error(`npm run demo: ${message}`);
  process.exit(1);
}

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const parsed = demoOptions(process.argv.slice(2), process.env);
if (!parsed.ok) fail(parsed.message);
if (parsed.help) {
  console.log(parsed.usage);
  process.exit(0);
}
const options: DemoOptions = parsed.options;
const claims: PortClaim[] = [
  { port: options.portalPort, service: 'portal', howToChange: options.howToChange.portal },
  { port: options.mlflowPort, service: 'MLflow', howToChange: options.howToChange.mlflow },
  { port: options.emulatorPort, service: 'Descope emulator', howToChange: options.howToChange.emulator },
];
// Before the install and the build: a busy port should cost a second, not a build.
await assertPortsFree(claims).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));

run('bash', ['scripts/install-mlflow.sh']);
const built = existsSync('.next/BUILD_ID') && statSync('.next/BUILD_ID').mtimeMs > statSync('package-lock.json').mtimeMs;
if (!built || options.rebuild) run('npx', ['next', 'build']);

console.log('Starting the Descope emulator, MLflow and the portal…');
const stack = await startStack({
  // Workspaces keep their own MLflow store and directory: a store is either workspace-aware or not.
  dataDir: options.workspaces ? '.demo/workspaces' : '.demo',
  workspaces: options.workspaces,
  portalPort: options.portalPort,
  mlflowPort: options.mlflowPort,
  emulatorPort: options.emulatorPort,
  howToChangePort: options.howToChange,
  persistDirectory: true,
  inheritOutput: options.verbose,
}).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
const users = (await (await fetch(`${stack.emulator.url}/emulator/info`)).json()) as {
  users: { loginId: string; roles: string[]; tenants: { tenantId: string; roles: string[] }[] }[];
};
// Without workspaces tenant roles grant nothing (no DESCOPE_TENANT_ID): say so next to them.
const demoWorkspaces = tenantWorkspaceMap(DEMO_TENANT_WORKSPACES);
const workspaceOf = (tenantId: string) => {
  const mapped = demoWorkspaces.workspaceOf(tenantId);
  return mapped.ok ? mapped.name : 'none';
};
const tenantNote = (tenantId: string) => (options.workspaces ? `workspace ${workspaceOf(tenantId)}` : 'tenant role: READ here');
const rolesOf = (user: (typeof users.users)[number]) => {
  const roles = [
    ...user.roles,
    ...user.tenants.flatMap((tenant) => tenant.roles.map((role) => `${role} @ ${tenant.tenantId} (${tenantNote(tenant.tenantId)})`)),
  ];
  if (roles.length === 0) return `(no role: ${options.workspaces ? 'no workspace' : 'READ by default'})`;
  return options.workspaces && user.tenants.length === 0 ? `${roles.join(', ')} (no tenant: no workspace; admins use any)` : roles.join(', ');
};
const portalUrl = stack.portal.url;
// npm test reads this before it rebuilds the .next this demo serves.
recordRunningDemo('.demo', { pid: process.pid, portalUrl, startedAt: new Date().toISOString() });
process.once('exit', () => clearRunningDemo('.demo', process.pid));

console.log(`
  MLflow Portal   ${portalUrl}   (open it, pick a demo user)
  MLflow UI       ${portalUrl}/mlflow/
  Descope         ${stack.emulator.url}  (local emulator; demo only)
  MLflow direct   ${stack.mlflow.url}

  Demo users:
${users.users.map((user) => `    ${user.loginId.padEnd(22)} ${rolesOf(user)}`).join('\n')}

  Python client (the demo's venv has MLflow; or pip install mlflow):
    export MLFLOW_TRACKING_URI=${portalUrl}/mlflow MLFLOW_TRACKING_TOKEN=<key from ${portalUrl}/profile>
    .cache/venv/bin/python -c "import mlflow; mlflow.set_experiment('demo'); mlflow.start_run(); mlflow.log_metric('x', 1)"

${
  options.workspaces
    ? `  Workspaces: each tenant's data lives in its own MLflow workspace; users in no tenant get none (admins: any).
    export MLFLOW_WORKSPACE=acme   # the client's workspace (or t-globex)

`
    : ''
}  Kept in ${options.workspaces ? '.demo/workspaces/' : '.demo/'} across restarts: MLflow's data, and the emulator's users, roles and access keys
  (descope-emulator.json; delete it to start from the bundled users). Browsers sign in again.

  Ctrl-C stops everything.${options.verbose ? '' : " --verbose shows the portal's request log."}`);

const stop = async () => {
  await stack.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
