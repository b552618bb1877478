import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';

/**
 * `npm run build:standalone`: a self-contained portal in .next/standalone that runs with plain
 * `node server.js` (no tsx, no repo, no dev dependencies). Next's standalone output traces the
 * node_modules its pages need. Two servers come out of it: `server.js` is ours (server.ts bundled,
 * the custom-server transport, the fastest) and `next-server.js` is Next's own minimal server
 * (the route-handler transport, as `next start` runs it). Both stream /mlflow/* without a cap.
 */
const root = resolve(import.meta.dirname, '..');
const standalone = resolve(root, '.next/standalone');

const built = spawnSync('npx', ['next', 'build'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', PORTAL_BUILD_STANDALONE: '1' },
});
if (built.status !== 0) process.exit(built.status ?? 1);
if (!existsSync(resolve(standalone, '.next/required-server-files.json'))) {
  console.error('next build produced no .next/standalone: next.config.ts must keep output: "standalone"');
  process.exit(1);
}

// Next leaves static assets out of the standalone tree (a CDN may serve them); we serve them.
rmSync(resolve(standalone, 'public'), { recursive: true, force: true });
if (existsSync(resolve(root, 'public'))) cpSync(resolve(root, 'public'), resolve(standalone, 'public'), { recursive: true });
rmSync(resolve(standalone, '.next/static'), { recursive: true, force: true });
cpSync(resolve(root, '.next/static'), resolve(standalone, '.next/static'), { recursive: true });

// Next's own server, kept under another name: `node next-server.js` is `next start` for the bundle.
renameSync(resolve(standalone, 'server.js'), resolve(standalone, 'next-server.js'));

await build({
  entryPoints: [resolve(root, 'server.ts')],
  outfile: resolve(standalone, 'server.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  tsconfig: resolve(root, 'tsconfig.json'),
  // Next stays a real package (the traced copy in standalone/node_modules): it loads its build
  // output from disk by path. Everything else of ours is bundled in.
  external: ['next', 'next/*'],
  // Bundled CommonJS (http-proxy, the Descope SDK) calls require() for Node built-ins.
  banner: { js: "import { createRequire as __portalCreateRequire } from 'node:module'; const require = __portalCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
console.log(
  `standalone portal: ${standalone} (start with: node ${resolve(standalone, 'server.js')}, or Next's own server: node ${resolve(standalone, 'next-server.js')})`,
);
