import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { startStack } from '../tools/local-stack/stack';

/**
 * `npm run demo`: the whole product on local defaults, offline. Installs MLflow 3.18 into a venv on
 * first run, builds the portal if needed, then starts the Descope emulator (:4400), MLflow (:5000,
 * SQLite and artifacts under .demo/) and the portal (:3000).
 */
function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const port = Number(process.env.PORT ?? 3000);
run('bash', ['scripts/install-mlflow.sh']);
const built = existsSync('.next/BUILD_ID') && statSync('.next/BUILD_ID').mtimeMs > statSync('package-lock.json').mtimeMs;
if (!built || process.argv.includes('--rebuild')) run('npx', ['next', 'build']);

console.log('Starting the Descope emulator, MLflow and the portal…');
const stack = await startStack({ dataDir: '.demo', portalPort: port, mlflowPort: 5000, emulatorPort: 4400, inheritOutput: process.argv.includes('--verbose') });
const users = (await (await fetch(`${stack.emulator.url}/emulator/info`)).json()) as { users: { loginId: string; roles: string[] }[] };

console.log(`
  MLflow Portal   ${stack.portal.url}   (open it, pick a demo user)
  MLflow UI       ${stack.portal.url}/mlflow/
  Descope         ${stack.emulator.url}  (local emulator; demo only)
  MLflow direct   ${stack.mlflow.url}

  Demo users:
${users.users.map((user) => `    ${user.loginId.padEnd(22)} ${user.roles.join(', ') || '(no project role)'}`).join('\n')}

  Python client:  create an access key on ${stack.portal.url}/profile, then
    export MLFLOW_TRACKING_URI=${stack.portal.url}/mlflow MLFLOW_TRACKING_TOKEN=<key>

  Ctrl-C stops everything.`);

const stop = async () => {
  await stack.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
