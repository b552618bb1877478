import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NextConfig } from 'next';

/**
 * The Next config a production build was made with, as Next serialised it into
 * .next/required-server-files.json. Loading it (as Next's own standalone server does) means a
 * production start needs neither next.config.ts nor a TypeScript loader, serves exactly what was
 * built, and skips Next's '"next start" does not work with "output: standalone"' warning.
 */
export function loadBuiltNextConfig(dir: string): NextConfig {
  const manifest = join(dir, '.next', 'required-server-files.json');
  let raw: string;
  try {
    raw = readFileSync(manifest, 'utf8');
  } catch {
    throw new Error(`no production build at ${manifest}: run \`npm run build\` (or \`npm run build:standalone\`) first`);
  }
  const config = (JSON.parse(raw) as { config?: NextConfig }).config;
  if (!config) throw new Error(`${manifest} holds no build config: rebuild with \`npm run build\``);
  // Next reads this variable in place of next.config.*; it must be set before next() loads config.
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
  return config;
}
