import { z } from 'zod';
import { createKeySchema, searchKeysSchema } from '../access-keys';
import { badRequest, readJson } from '../http';
import { get, post, type Route } from '../router';
import type { EmulatorState } from '../state';

const byId = z.object({ id: z.string().min(1) });

/** Access-key management; callers wrap these with the management-key check. */
export function accessKeyRoutes(state: EmulatorState): Route[] {
  const keys = state.accessKeys;
  return [
    post('/v1/mgmt/accesskey/create', async ({ req }) => {
      const input = await readJson(req, createKeySchema);
      return state.mutate(() => keys.create(input));
    }),
    post('/v1/mgmt/accesskey/search', async ({ req }) => ({
      keys: keys.search(await readJson(req, searchKeysSchema)).map((key) => keys.response(key)),
    })),
    get('/v1/mgmt/accesskey', ({ query }) => {
      const id = query.get('id');
      if (!id) throw badRequest('id is required');
      return { key: keys.response(keys.load(id)) };
    }),
    post('/v1/mgmt/accesskey/delete', async ({ req }) => {
      const { id } = await readJson(req, byId);
      state.mutate(() => keys.delete(id));
      return {};
    }),
    post('/v1/mgmt/accesskey/deactivate', async ({ req }) => {
      const { id } = await readJson(req, byId);
      state.mutate(() => keys.setStatus(id, 'inactive'));
      return {};
    }),
    post('/v1/mgmt/accesskey/activate', async ({ req }) => {
      const { id } = await readJson(req, byId);
      state.mutate(() => keys.setStatus(id, 'active'));
      return {};
    }),
  ];
}
