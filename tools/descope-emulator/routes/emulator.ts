import { z } from 'zod';
import { EmulatorError, errorCodes, readJson } from '../http';
import { get, post, type Route } from '../router';
import { newSession } from '../sessions';
import type { EmulatorState } from '../state';

// Knobs are strict: a misspelt field is a 400, not a silently ignored setting.
const sessionBody = z.strictObject({ loginId: z.string().min(1) });
// The SDKs retry 503 (after 0.1 s, 5 s and 5 s): `status` lets a test fail fast with another 5xx.
const outageBody = z.strictObject({
  on: z.boolean(),
  mode: z.enum(['error', 'hang']).default('error'),
  status: z.number().int().min(500).max(599).default(503),
});
const seconds = z
  .number()
  .int()
  .min(1)
  .max(10 * 365 * 24 * 3600);
const configBody = z.strictObject({ sessionTtlSeconds: seconds.optional(), refreshTtlSeconds: seconds.optional() });
const rotateBody = z.strictObject({ keepPrevious: z.boolean().default(true) });
const signBody = z.strictObject({
  claims: z.record(z.string(), z.unknown()),
  header: z.object({ alg: z.string().optional(), kid: z.string().optional(), typ: z.string().optional() }).catchall(z.unknown()).default({}),
});
const emptyBody = z.strictObject({});

/** Dev/test controls under /emulator/*: never affected by a simulated outage, never counted. */
export function emulatorRoutes(state: EmulatorState): Route[] {
  const { directory } = state;
  return [
    get('/emulator/info', () => ({
      emulator: true,
      projectId: state.projectId,
      users: directory.users.map((user) => ({
        loginId: user.loginIds[0],
        name: user.name,
        roles: [...user.roleNames],
        tenants: directory.withTenantNames(user.userTenants).map(({ tenantId, tenantName, roleNames }) => ({ tenantId, tenantName, roles: roleNames })),
      })),
    })),
    post('/emulator/session', async ({ req }) => {
      const { loginId } = await readJson(req, sessionBody);
      const user = directory.requireUser(loginId);
      if (user.status !== 'enabled') throw new EmulatorError(403, errorCodes.badRequest, 'User not enabled', `${loginId} is ${user.status}`);
      return newSession(state, user);
    }),
    post('/emulator/outage', async ({ req }) => {
      const { on, mode, status } = await readJson(req, outageBody);
      state.outage.set(on, mode, status);
      return state.outage.state;
    }),
    post('/emulator/config', async ({ req }) => {
      Object.assign(state.lifetimes, await readJson(req, configBody));
      return { ...state.lifetimes };
    }),
    post('/emulator/rotate-keys', async ({ req }) => ({ kid: await state.keys.rotate((await readJson(req, rotateBody)).keepPrevious) })),
    post('/emulator/sign', async ({ req }) => {
      const { claims, header } = await readJson(req, signBody);
      return { jwt: await state.tokens.sign(claims, header) };
    }),
    get('/emulator/requests', () => ({ counts: Object.fromEntries(state.requestCounts) })),
    post('/emulator/requests/reset', async ({ req }) => {
      await readJson(req, emptyBody);
      state.requestCounts.clear();
      return {};
    }),
  ];
}
