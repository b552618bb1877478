import { z } from 'zod';

const roleNames = z.array(z.string()).catch([]);

/** The Descope claims we rely on; anything else in the token is ignored. */
export const descopeClaimsSchema = z
  .object({
    sub: z.string().min(1),
    iss: z.string().min(1),
    exp: z.number(),
    iat: z.number().optional(),
    drn: z.string().optional(),
    roles: roleNames.optional(),
    permissions: roleNames.optional(),
    tenants: z
      .record(z.string(), z.object({ roles: roleNames.optional(), permissions: roleNames.optional() }).catch({}))
      .catch({})
      .optional(),
    email: z.string().optional(),
    name: z.string().optional(),
  })
  .passthrough();

export type DescopeClaims = z.infer<typeof descopeClaimsSchema>;
