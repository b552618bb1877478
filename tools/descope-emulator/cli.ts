import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startEmulator } from './server';

const DEFAULT_PROJECT_ID = 'P2emulator0000000000000000000';
const DEFAULT_MANAGEMENT_KEY = 'emulator-management-key';
const USAGE =
  'usage: npm run emulator -- [--port 4400] [--host 127.0.0.1] [--project-id P] [--management-key K] [--users file.json] [--state-file state.json] [--session-ttl 600] [--refresh-ttl 2592000]';

const integer = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `--${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().min(min, `--${name} is too small`).max(max, `--${name} is too large`));

const flagsSchema = z.object({
  port: integer('port', 0, 65_535).default(4400),
  host: z.string().min(1).default('127.0.0.1'),
  'project-id': z.string().min(1).optional(),
  'management-key': z.string().min(1).optional(),
  users: z.string().min(1).optional(),
  'state-file': z.string().min(1).optional(),
  'session-ttl': integer('session-ttl', 1, 315_360_000).optional(),
  'refresh-ttl': integer('refresh-ttl', 1, 315_360_000).optional(),
});

function fail(message: string): never {
  console.error(`descope-emulator: ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: Object.fromEntries(Object.keys(flagsSchema.shape).map((name) => [name, { type: 'string' as const }])),
      allowPositionals: false,
    }));
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}; ${USAGE}`);
  }
  const flags = flagsSchema.safeParse(values);
  if (!flags.success) fail(`${flags.error.issues.map((issue) => issue.message).join('; ')}; ${USAGE}`);
  const { port, host, users, ...rest } = flags.data;
  const projectId = rest['project-id'] ?? (process.env.DESCOPE_PROJECT_ID || DEFAULT_PROJECT_ID);
  const emulator = await startEmulator({
    projectId,
    managementKey: rest['management-key'] ?? (process.env.DESCOPE_MANAGEMENT_KEY || DEFAULT_MANAGEMENT_KEY),
    port,
    host,
    usersFile: users,
    stateFile: rest['state-file'],
    sessionTtlSeconds: rest['session-ttl'],
    refreshTtlSeconds: rest['refresh-ttl'],
  }).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
  console.log(`descope-emulator listening on ${emulator.url} (project ${projectId})`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
