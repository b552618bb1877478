import { parseArgs } from 'node:util';
import { z } from 'zod';

export const DEMO_USAGE = `usage: npm run demo -- [--port 3000] [--mlflow-port 5000] [--emulator-port 4400] [--workspaces] [--rebuild] [--verbose]
  --port           the portal's port (or PORT=…)
  --mlflow-port    MLflow's port (or DEMO_MLFLOW_PORT=…)
  --emulator-port  the Descope emulator's port (or DEMO_EMULATOR_PORT=…)
  --workspaces     each Descope tenant gets its own MLflow workspace (data in .demo/workspaces/)
  --rebuild        run next build even when .next is up to date
  --verbose        print the portal's JSON request log`;

export interface DemoOptions {
  portalPort: number;
  mlflowPort: number;
  emulatorPort: number;
  workspaces: boolean;
  rebuild: boolean;
  verbose: boolean;
  /** Per service, how to choose another port: named in the "port in use" line. */
  howToChange: { portal: string; mlflow: string; emulator: string };
}

// Each port: its flag, its environment variable, its default.
const ports = {
  portal: { flag: 'port', env: 'PORT', fallback: 3000 },
  mlflow: { flag: 'mlflow-port', env: 'DEMO_MLFLOW_PORT', fallback: 5000 },
  emulator: { flag: 'emulator-port', env: 'DEMO_EMULATOR_PORT', fallback: 4400 },
} as const;

const portNumber = z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1).max(65_535));

export type ParsedDemoOptions = { ok: true; help: boolean; usage: string; options: DemoOptions } | { ok: false; message: string };

/** npm run demo's flags and environment; a flag beats its variable. Bad input is one line naming it. */
export function demoOptions(argv: string[], env: Record<string, string | undefined>): ParsedDemoOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        'mlflow-port': { type: 'string' },
        'emulator-port': { type: 'string' },
        workspaces: { type: 'boolean' },
        rebuild: { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    return { ok: false, message: `${error instanceof Error ? error.message : String(error)}\n${DEMO_USAGE}` };
  }
  const chosen = {} as Record<keyof typeof ports, number>;
  for (const [service, { flag, env: name, fallback }] of Object.entries(ports) as [keyof typeof ports, (typeof ports)[keyof typeof ports]][]) {
    const fromFlag = values[flag];
    const raw = typeof fromFlag === 'string' ? fromFlag : env[name] || undefined;
    if (raw === undefined) {
      chosen[service] = fallback;
      continue;
    }
    const parsed = portNumber.safeParse(raw);
    if (!parsed.success)
      return {
        ok: false,
        message: `${typeof fromFlag === 'string' ? `--${flag}` : name} is invalid (${JSON.stringify(raw)}): use a port number between 1 and 65535`,
      };
    chosen[service] = parsed.data;
  }
  const hint = (service: keyof typeof ports) => {
    const next = chosen[service] < 65_535 ? chosen[service] + 1 : chosen[service] - 1;
    return `${ports[service].env}=${next} or --${ports[service].flag} ${next}`;
  };
  return {
    ok: true,
    help: values.help === true,
    usage: DEMO_USAGE,
    options: {
      portalPort: chosen.portal,
      mlflowPort: chosen.mlflow,
      emulatorPort: chosen.emulator,
      workspaces: values.workspaces === true,
      rebuild: values.rebuild === true,
      verbose: values.verbose === true,
      howToChange: { portal: hint('portal'), mlflow: hint('mlflow'), emulator: hint('emulator') },
    },
  };
}
