import { z } from 'zod';
import type { Config } from '@/lib/config';

/** Talks to the local Descope emulator's demo endpoints (emulator mode only) over HTTP. */
const infoSchema = z.object({
  emulator: z.literal(true),
  users: z.array(
    z.object({
      loginId: z.string(),
      name: z.string().optional(),
      roles: z.array(z.string()).default([]),
      tenants: z.array(z.object({ tenantId: z.string(), roles: z.array(z.string()).default([]) })).default([]),
    }),
  ),
});
const sessionSchema = z.object({ sessionJwt: z.string().min(1), refreshJwt: z.string().min(1) });

export type DemoUser = z.infer<typeof infoSchema>['users'][number];

type EmulatorConfig = Pick<Config, 'emulatorMode' | 'descopeBaseUrl'>;

function emulatorUrl({ emulatorMode, descopeBaseUrl }: EmulatorConfig, path: string): string {
  if (!emulatorMode || !descopeBaseUrl) throw new Error('demo sign-in is only available with the local Descope emulator');
  return `${descopeBaseUrl}${path}`;
}

export async function demoUsers(config: EmulatorConfig): Promise<DemoUser[]> {
  const response = await fetch(emulatorUrl(config, '/emulator/info'), { signal: AbortSignal.timeout(2_000), cache: 'no-store' });
  if (!response.ok) throw new Error(`the emulator answered ${response.status}`);
  return infoSchema.parse(await response.json()).users;
}

export async function demoSession(config: EmulatorConfig, loginId: string): Promise<z.infer<typeof sessionSchema> | undefined> {
  const response = await fetch(emulatorUrl(config, '/emulator/session'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ loginId }),
    signal: AbortSignal.timeout(3_000),
    cache: 'no-store',
  });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`the emulator answered ${response.status}`);
  return sessionSchema.parse(await response.json());
}
