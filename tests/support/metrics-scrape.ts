/**
 * A Prometheus text-format scrape, parsed: one entry per series (`name{a="x",b="y"}` → value).
 * Labels are sorted in the key, so a test may name them in any order.
 */
export interface Scrape {
  text: string;
  series: Map<string, number>;
  /** The value of one series, 0 when it is absent; labels in any order. */
  value(name: string, labels?: Record<string, string>): number;
  /** Every series of one metric name (histograms: pass `x_bucket`, `x_count`…). */
  named(name: string): [string, number][];
}

const line = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/;
const label = /(\w+)="((?:[^"\\]|\\.)*)"/g;

export function parseScrape(text: string): Scrape {
  const series = new Map<string, number>();
  for (const row of text.split('\n')) {
    if (row === '' || row.startsWith('#')) continue;
    const match = line.exec(row);
    if (!match) throw new Error(`not a Prometheus text line: ${row}`);
    series.set(key(match[1], Object.fromEntries([...(match[3] ?? '').matchAll(label)].map((m) => [m[1], m[2]]))), Number(match[4]));
  }
  return {
    text,
    series,
    value: (name, labels = {}) => series.get(key(name, labels)) ?? 0,
    named: (name) => [...series].filter(([id]) => id === name || id.startsWith(`${name}{`)),
  };
}

function key(name: string, labels: Record<string, string>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? name : `${name}{${entries.map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

export async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`scrape of ${url} answered ${response.status}`);
  return parseScrape(await response.text());
}

/** What changed between two scrapes, series by series (counters and histogram counts). */
export function delta(before: Scrape, after: Scrape): (name: string, labels?: Record<string, string>) => number {
  return (name, labels) => after.value(name, labels) - before.value(name, labels);
}

/**
 * A scrape taken once no request is in flight: a response can reach the client a moment before
 * the server has recorded it (the custom server records on the response's 'close'), and the
 * in-flight gauge drops in the same step as the counts are made.
 */
export async function scrapeSettled(url: string): Promise<Scrape> {
  for (let attempt = 0; ; attempt += 1) {
    const scraped = await scrape(url);
    const inFlight = scraped.named('portal_http_requests_in_flight').reduce((sum, [, value]) => sum + value, 0);
    if (inFlight === 0) return scraped;
    if (attempt >= 100) throw new Error(`${inFlight} requests still in flight after ${attempt} scrapes`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
