import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export interface MlflowRoute {
  method: string;
  /** MLflow's template: `<x>`, `<path:x>`, `{x}` or `{x:path}` placeholders. */
  path: string;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const VENV_PYTHON = join(repoRoot, '.cache/venv/bin/python');
const SCRIPT = join(repoRoot, 'tests/support/mlflow_routes.py');

const routesSchema = z.array(z.object({ method: z.string().min(1), path: z.string().startsWith('/') }));

/** Every route the installed MLflow server serves, read from its own Flask and FastAPI apps. */
export function loadMlflowRoutes(): MlflowRoute[] {
  if (!existsSync(VENV_PYTHON)) throw new Error(`MLflow's route list needs the project venv: ${VENV_PYTHON} is missing`);
  const stdout = execFileSync(VENV_PYTHON, [SCRIPT], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONWARNINGS: 'ignore' },
  });
  return routesSchema.parse(JSON.parse(stdout));
}

// Realistic values for path-typed parameters: several segments where MLflow allows them, and
// the fixed shape where MLflow validates one (MCP server names are `<namespace>/<slug>`).
const PATH_SAMPLES: Record<string, string> = {
  artifact_path: '0a1b2c/artifacts/model/MLmodel',
  path: 'static/js/main.js',
  filename: 'static/js/main.js',
  name: 'com.example/sample-server',
  version: '1.0.0',
  key: 'team/owner',
  alias: 'champion',
};

/** Turns a route template into a concrete request path, e.g. `/traces/<request_id>/tags` → `/traces/sample-request_id/tags`. */
export function samplePath(template: string): string {
  return template
    .replace(/<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>/g, (_, converter: string | undefined, name: string) => sample(name, converter === 'path'))
    .replace(/\{(\w+)(?::(\w+))?\}/g, (_, name: string, converter: string | undefined) => sample(name, converter === 'path'));
}

function sample(name: string, isPath: boolean): string {
  return isPath ? (PATH_SAMPLES[name] ?? 'sample/path') : `sample-${name}`;
}
