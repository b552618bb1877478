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
    post('/v1/mgmt/accesskey/create', async ({ req }) => keys.create(await readJson(req, createKeySchema))),
    post('/v1/mgmt/accesskey/search', async ({ req }) => ({
      keys: keys.search(await readJson(req, searchKeysSchema)).map((key) => keys.response(key)),
    })),
    get('/v1/mgmt/accesskey', ({ query }) => {
      const id = query.get('id');
      if (!id) throw badRequest('id is required');
      return { key: keys.response(keys.load(id)) };
    }),
    post('/v1/mgmt/accesskey/delete', async ({ req }) => {
      keys.delete((await readJson(req, byId)).id);
      return {};
    }),
    post('/v1/mgmt/accesskey/deactivate', async ({ req }) => {
      keys.setStatus((await readJson(req, byId)).id, 'inactive');
      return {};
    }),
    post('/v1/mgmt/accesskey/activate', async ({ req }) => {
      keys.setStatus((await readJson(req, byId)).id, 'active');
      return {};
    }),
  ];
}
