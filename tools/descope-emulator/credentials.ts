import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { unauthorized } from './http';

/**
 * The token part of `Authorization: Bearer <projectId>[:<token>]`, as every Descope SDK sends it;
 * '' when only the project id is given. A missing header or another project is a 401.
 */
export function bearerToken(req: IncomingMessage, projectId: string): string {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!match) throw unauthorized('missing Authorization: Bearer <projectId>[:<token>]');
  const separator = match[1].indexOf(':');
  const project = separator === -1 ? match[1] : match[1].slice(0, separator);
  if (project !== projectId) throw unauthorized('the Authorization header names another project');
  return separator === -1 ? '' : match[1].slice(separator + 1);
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Management calls carry `Bearer <projectId>:<managementKey>`. */
export function requireManagementKey(req: IncomingMessage, projectId: string, managementKey: string | undefined): void {
  const presented = bearerToken(req, projectId);
  if (!managementKey) throw unauthorized('this emulator was started without a management key');
  if (!presented || !timingSafeEqual(digest(presented), digest(managementKey))) throw unauthorized('invalid management key');
}
