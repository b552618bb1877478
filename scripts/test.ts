import { spawnSync } from 'node:child_process';
import { demoBuildWarning } from '../tools/local-stack/demo-lock';

/**
 * `npm test`: type check, lint (ESLint, import boundaries), format check (Prettier), the MLflow plugin's pytest suite, unit tests, a production build, integration tests (emulator + a real
 * MLflow) through the custom server, the gateway and security suites again under `next start`,
 * then the browser suite in Chromium, then the standalone bundle's two servers. Stops at the first failing stage. `npm test -- <word>` runs
 * only the stages whose name contains the word.
 */
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
// The suites that hold for every transport, run a second time under `next start`.
const transportSuites = ['tests/integration/gateway.test.ts', 'tests/integration/metrics.test.ts', 'tests/security'];
const stages: [string, string, string[], Record<string, string>?][] = [
  ['mlflow venv', 'bash', ['scripts/install-mlflow.sh']],
  ['type check', 'npx', ['tsc', '--noEmit', '-p', '.']],
  ['lint', 'npx', ['eslint', '.']],
  ['format check', 'npx', ['prettier', '--check', '.']],
  ['mlflow plugin (pytest)', 'bash', ['mlflow-plugin/run-tests.sh']],
  ['unit tests', 'npx', ['vitest', 'run', '--project', 'unit']],
  ['production build', 'npx', ['next', 'build']],
  ['integration tests (custom server)', 'npx', ['vitest', 'run', '--project', 'integration']],
  ['integration tests (next start)', 'npx', ['vitest', 'run', '--project', 'integration', ...transportSuites], { PORTAL_TEST_TRANSPORT: 'next-start' }],
  ['browser tests', 'npx', ['playwright', 'test']],
  // Last: it rebuilds .next with output: standalone.
  ['standalone bundle (both servers)', 'npm', ['run', '--silent', 'build:standalone']],
  ['standalone check (both servers)', 'npm', ['run', '--silent', 'check:standalone']],
];

const only = process.argv.slice(2);
const selected = stages.filter(([name]) => only.length === 0 || only.some((word) => name.includes(word)));
const demoWarning = selected.some(([name]) => name === 'production build') ? demoBuildWarning('.demo') : undefined;
if (demoWarning) console.warn(`\n${demoWarning}`);
for (const [name, command, args, extra] of selected) {
  if (name === 'production build' && demoWarning) console.warn(`\n${demoWarning}`);
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...env, ...extra } });
  console.log(`=== ${name}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}
