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

// How long a line may wait to be written with the lines after it, and how much may wait: one
// write(2) per event-loop turn was still one per few requests under load, and each cost more
// than building the lines it carried.
const BATCH_MS = 10;
const BATCH_CHARS = 64 * 1024;

/**
 * The log sink. Lines are written together, at most BATCH_MS after the first of them (or once
 * BATCH_CHARS are waiting): stdout to a file or a pipe is a synchronous write(2) per call.
 * Whatever is pending when the process exits is written then.
 */
export function createLogger(write: (text: string) => void = (text) => void process.stdout.write(text)): Logger & { flush(): void } {
  let pending: string[] = [];
  let pendingChars = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const out = pending.join('');
    pending = [];
    pendingChars = 0;
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
    const text = `${JSON.stringify(line)}\n`;
    pending.push(text);
    pendingChars += text.length;
    if (pendingChars >= BATCH_CHARS) flush();
    // Unref'd: a pending batch never keeps the process alive; 'exit' writes it.
    else timer ??= setTimeout(flush, BATCH_MS).unref();
  };
  return Object.assign(logger, { flush });
}
