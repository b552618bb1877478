import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { storedKeySchema } from './access-keys';
import { assertConsistent, userSchema, type Seed, type User } from './seed';

const FORMAT = 'descope-emulator-state';
const VERSION = 1;

const stateSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  projectId: z.string().min(1),
  savedAt: z.string(),
  users: z.array(userSchema.extend({ createdTime: z.number().int() })),
  accessKeys: z.array(storedKeySchema),
});

export type SavedState = Pick<z.infer<typeof stateSchema>, 'users' | 'accessKeys'>;

/** A state file that cannot be used: the emulator refuses to start rather than overwrite it. */
export class StateFileError extends Error {
  override name = 'StateFileError';

  constructor(path: string, problem: string) {
    super(`cannot use the saved emulator state ${path}: ${problem}. It was left as it is: fix it, or move it away to start from the bundled users`);
  }
}

/**
 * The emulator's mutable state on disk: users (with their roles and status) and access keys (only
 * their hashes), so a restart keeps what was changed. Roles and tenants come from the seed.
 * Writes are atomic (a temp file, fsync, rename), so a crash leaves the old file or the new one.
 */
export class StateFile {
  constructor(
    readonly path: string,
    private readonly projectId: string,
  ) {}

  /** The saved state checked against the seed's roles and tenants; undefined when none was saved yet. */
  load(seed: Seed): SavedState | undefined {
    if (!existsSync(this.path)) return undefined;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (error) {
      throw new StateFileError(this.path, `it is not readable JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    const header = z.object({ format: z.string(), version: z.unknown() }).safeParse(raw);
    if (!header.success || header.data.format !== FORMAT) throw new StateFileError(this.path, `it is not a ${FORMAT} file`);
    if (header.data.version !== VERSION)
      throw new StateFileError(this.path, `it has format version ${JSON.stringify(header.data.version)}; this emulator reads version ${VERSION}`);
    const parsed = stateSchema.safeParse(raw);
    if (!parsed.success) throw new StateFileError(this.path, `it does not have the expected shape (${z.prettifyError(parsed.error).replace(/\n/g, ' ')})`);
    if (parsed.data.projectId !== this.projectId) throw new StateFileError(this.path, `it belongs to project ${parsed.data.projectId}, not ${this.projectId}`);
    try {
      assertConsistent({ ...seed, users: parsed.data.users });
    } catch (error) {
      throw new StateFileError(this.path, error instanceof Error ? error.message : String(error));
    }
    return { users: parsed.data.users, accessKeys: parsed.data.accessKeys };
  }

  save(state: { users: readonly User[]; accessKeys: SavedState['accessKeys'] }): void {
    const body = {
      format: FORMAT,
      version: VERSION,
      projectId: this.projectId,
      savedAt: new Date().toISOString(),
      users: state.users,
      accessKeys: state.accessKeys,
    };
    mkdirSync(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(body, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.path);
  }
}
