/**
 * One JSON object per line on stdout. Callers pass only fields that are safe to print: paths are
 * normalised paths (query strings can carry tokens and are never logged), users are user ids.
 * `redact` is the last line of defence for free text such as error messages.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;
export type LogLevel = 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, event: string, fields?: LogFields) => void;

const secretPatterns: RegExp[] = [
  /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g, // JWTs
  /(Bearer|Basic)\s+[\w\-.~+/=:]+/gi, // Authorization values
  /\b(DSR?|token|key|secret|password|cleartext)=([^;&\s]+)/gi, // cookies and query parameters
];

// Every secret pattern needs one of these: text without any (most paths, ids, methods) is
// returned as is, without running the three replacements on every field of every log line.
const mightHoldSecret = /eyJ|bearer|basic|=/i;

export function redact(text: string): string {
  if (!mightHoldSecret.test(text)) return text;
  return secretPatterns.reduce(
    (out, pattern) => out.replace(pattern, (match, a) => (typeof a === 'string' && match.includes('=') ? `${a}=[redacted]` : '[redacted]')),
    text,
  );
}

// Lines logged in the same millisecond share one timestamp string: under load that is most of
// them, and formatting a Date is a good part of building a line.
let isoMs = Number.NaN;
let isoText = '';
function isoTimeNow(): string {
  const now = Date.now();
  if (now !== isoMs) {
    isoMs = now;
    isoText = new Date(now).toISOString();
  }
  return isoText;
}

/**
 * The log sink. Lines logged in one event-loop turn are written together at its end: stdout to a
 * file or a pipe is a synchronous write(2) per call, which under load cost more than building the
 * line. A line waits at most one turn; whatever is pending when the process exits is written then.
 */
export function createLogger(write: (text: string) => void = (text) => void process.stdout.write(text)): Logger & { flush(): void } {
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const out = pending.join('');
    pending = [];
    write(out);
  };
  process.once('exit', flush);
  const logger = (level: LogLevel, event: string, fields: LogFields = {}) => {
    const line: LogFields = { time: isoTimeNow(), level, event };
    // for…in, not Object.entries: no pair arrays per field of every line (fields are plain objects).
    for (const name in fields) {
      const value = fields[name];
      if (value !== undefined) line[name] = typeof value === 'string' ? redact(value) : value;
    }
    if (pending.push(`${JSON.stringify(line)}\n`) === 1) setImmediate(flush);
  };
  return Object.assign(logger, { flush });
}
