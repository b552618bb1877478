/**
 * One JSON object per line on stdout. Callers pass only fields that are safe to print: paths are
 * normalised paths (query strings can carry tokens and are never logged), users are user ids.
 * `redact` is the last line of defence for free text such as error messages.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

const secretPatterns: RegExp[] = [
  /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g, // JWTs
  /(Bearer|Basic)\s+[\w\-.~+/=:]+/gi, // Authorization values
  /\b(DSR?|token|key|secret|password|cleartext)=([^;&\s]+)/gi, // cookies and query parameters
];

export function redact(text: string): string {
  return secretPatterns.reduce((out, pattern) => out.replace(pattern, (match, a) => (typeof a === 'string' && match.includes('=') ? `${a}=[redacted]` : '[redacted]')), text);
}

export function log(level: 'info' | 'warn' | 'error', event: string, fields: LogFields = {}): void {
  const line: LogFields = { time: new Date().toISOString(), level, event };
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) line[name] = typeof value === 'string' ? redact(value) : value;
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
