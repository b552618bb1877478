import { spawnSync } from 'node:child_process';

/**
 * `npm test`: type check, unit tests, integration tests (emulator + a real MLflow), a production
 * build, then the browser suite in Chromium. Stops at the first failing stage.
 */
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const stages: [string, string, string[]][] = [
  ['mlflow venv', 'bash', ['scripts/install-mlflow.sh']],
  ['type check', 'npx', ['tsc', '--noEmit', '-p', '.']],
  ['unit tests', 'npx', ['vitest', 'run', '--project', 'unit']],
  ['integration tests', 'npx', ['vitest', 'run', '--project', 'integration']],
  ['production build', 'npx', ['next', 'build']],
  ['browser tests', 'npx', ['playwright', 'test']],
];

const only = process.argv.slice(2);
for (const [name, command, args] of stages) {
  if (only.length > 0 && !only.some((word) => name.includes(word))) continue;
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  console.log(`=== ${name}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}
