import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import { defineConfig, globalIgnores } from 'eslint/config';

// The architecture, as import rules (a later block replaces an earlier one for the same rule, so
// each block lists everything its files may not import).
const noToolsOrBench = [
  { group: ['@/tools/*', '@/bench/*', '**/tools/*', '**/bench/*'], message: 'lib/ is the product: it does not import dev tools or the bench' },
];
const noGateway = [{ group: ['@/lib/gateway/*', '../gateway/*'], message: 'lib/auth is the auth core: the gateway depends on it, never the other way' }];
// Pages and components reach lib/ through its public modules: the runtime's index, the auth gates,
// the admin/profile/mlflow modules made for them. Types may come from anywhere.
const appInternals = [
  { group: ['@/lib/runtime/*'], message: 'import the runtime from @/lib/runtime (server-only), not its internals' },
  {
    group: ['@/lib/gateway/*', '@/lib/descope/*', '@/lib/resilience/*', '@/lib/observability/*', '@/lib/server/*'],
    message: 'pages and components do not reach into the gateway, Descope clients, resilience, sinks or the server: go through @/lib/runtime',
  },
  {
    group: ['@/lib/auth/jwt', '@/lib/auth/jwks', '@/lib/auth/refresh-session', '@/lib/auth/access-keys', '@/lib/auth/credentials', '@/lib/auth/authenticate'],
    message: 'pages and components decide access through @/lib/auth/require-user or the runtime, never with the auth internals',
  },
];
const restrict = (patterns) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns: patterns.map((pattern) => ({ ...pattern, allowTypeImports: true })) }],
});

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores(['.next/**', '.cache/**', '.demo/**', 'test-results/**', 'playwright-report/**', 'mlflow-plugin/**', 'next-env.d.ts']),
  {
    rules: {
      // Options objects past three: a call site should say what each argument is.
      'max-params': ['error', 4],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['tests/**', 'tools/**', 'bench/**', 'scripts/**'],
    rules: {
      // Not React: Playwright fixtures take `use`, and test helpers are named useEmulator etc.
      'react-hooks/rules-of-hooks': 'off',
      // Tests read MLflow's and Descope's JSON as it comes, without a schema per answer.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // mlflowApi(url, token, method, endpoint, body) reads like the HTTP call it makes, at each of its call sites.
  { files: ['tests/support/portal-harness.ts'], rules: { 'max-params': ['error', 5] } },
  { files: ['lib/**'], rules: restrict(noToolsOrBench) },
  { files: ['lib/auth/**'], rules: restrict([...noToolsOrBench, ...noGateway]) },
  { files: ['app/**', 'components/**'], rules: restrict(appInternals) },
]);
