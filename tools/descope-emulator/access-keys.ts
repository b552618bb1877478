import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { notFound, unauthorized } from './http';
import type { Directory } from './directory';
import { nowSeconds } from './tokens';

const names = z.array(z.string());

export const createKeySchema = z.object({
  name: z.string().min(1),
  expireTime: z.number().int().min(0).default(0),
  roleNames: names.default([]),
  keyTenants: z.array(z.object({ tenantId: z.string().min(1), roleNames: names.default([]) })).default([]),
  userId: z.string().optional(),
  description: z.string().default(''),
  permittedIps: names.default([]),
});

/** Descope's search sends `boundUserId`; `userId` is accepted too, as the create call names the owner so. */
export const searchKeysSchema = z.object({
  tenantIds: names.optional(),
  boundUserId: z.string().optional(),
  userId: z.string().optional(),
  creatingUser: z.string().optional(),
});

/** A key as the store keeps it (and as the state file saves it): only a hash of the cleartext. */
export const storedKeySchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  roleNames: names,
  keyTenants: z.array(z.object({ tenantId: z.string().min(1), roleNames: names })),
  status: z.enum(['active', 'inactive']),
  createdTime: z.number().int(),
  expireTime: z.number().int().min(0),
  createdBy: z.string(),
  clientId: z.string(),
  boundUserId: z.string(),
  description: z.string(),
  permittedIps: names,
  secretHash: z.string().regex(/^[0-9a-f]{64}$/),
});

type StoredKey = z.infer<typeof storedKeySchema>;

const hashOf = (cleartext: string) => createHash('sha256').update(cleartext).digest('hex');
const randomId = (prefix: string) => `${prefix}${randomBytes(18).toString('base64url')}`;

export class AccessKeyStore {
  private readonly keys = new Map<string, StoredKey>();

  constructor(private readonly directory: Directory) {}

  create(input: z.infer<typeof createKeySchema>): { key: ReturnType<AccessKeyStore['response']>; cleartext: string } {
    this.directory.requireRoles([...input.roleNames, ...input.keyTenants.flatMap((tenant) => tenant.roleNames)]);
    input.keyTenants.forEach((tenant) => this.directory.requireTenant(tenant.tenantId));
    const boundUserId = input.userId ? this.directory.requireUser(input.userId).userId : '';
    const cleartext = randomBytes(32).toString('base64url');
    const { userId: _owner, ...fields } = input;
    const key: StoredKey = {
      ...fields,
      id: randomId('K2'),
      status: 'active',
      createdTime: nowSeconds(),
      createdBy: 'management-key',
      clientId: randomId('C2'),
      boundUserId,
      secretHash: hashOf(cleartext),
    };
    this.keys.set(key.id, key);
    return { key: this.response(key), cleartext };
  }

  /** Every key, for the state file. */
  snapshot(): StoredKey[] {
    return [...this.keys.values()].map((key) => structuredClone(key));
  }

  /** Replaces every key with saved ones (the state file, at start). */
  restore(keys: readonly StoredKey[]): void {
    this.keys.clear();
    for (const key of keys) this.keys.set(key.id, structuredClone(key));
  }

  load(id: string): StoredKey {
    const key = this.keys.get(id);
    if (!key) throw notFound(`no access key ${id}`);
    return key;
  }

  search(filter: z.infer<typeof searchKeysSchema>): StoredKey[] {
    const owner = filter.boundUserId || filter.userId;
    return [...this.keys.values()].filter(
      (key) =>
        (!filter.tenantIds?.length || key.keyTenants.some((tenant) => filter.tenantIds?.includes(tenant.tenantId))) &&
        (!owner || key.boundUserId === owner) &&
        (!filter.creatingUser || key.createdBy === filter.creatingUser),
    );
  }

  delete(id: string): void {
    this.load(id);
    this.keys.delete(id);
  }

  setStatus(id: string, status: StoredKey['status']): void {
    this.load(id).status = status;
  }

  /** The key a cleartext belongs to, if it may be exchanged now. */
  authenticate(cleartext: string): StoredKey {
    const hash = hashOf(cleartext);
    const key = [...this.keys.values()].find((candidate) => candidate.secretHash === hash);
    if (!key) throw unauthorized('unknown access key');
    if (key.status !== 'active') throw unauthorized('the access key is deactivated');
    if (key.expireTime && key.expireTime <= nowSeconds()) throw unauthorized('the access key has expired');
    return key;
  }

  /** The key as the management API shows it: never the hash. `userId` mirrors `boundUserId`. */
  response({ secretHash: _hash, ...key }: StoredKey) {
    return { ...key, keyTenants: this.directory.withTenantNames(key.keyTenants), userId: key.boundUserId };
  }
}
