/**
 * Counts attack cases per class for one security suite and prints them when the suite ends, so a
 * run says how many variants of each class were tried and how many the portal refused.
 */
const classes = new Map<string, { refused: number; passed: number }>();

export const tally = {
  /** `held`: the portal did what the case demands (refused it, or forwarded it framed and intact). */
  count(name: string, held: boolean): void {
    const entry = classes.get(name) ?? { refused: 0, passed: 0 };
    if (held) entry.refused += 1;
    else entry.passed += 1;
    classes.set(name, entry);
  },
  report(suite: string): void {
    const rows = [...classes].map(
      ([name, { refused, passed }]) => `  ${name.padEnd(48)} ${String(refused + passed).padStart(4)} cases, ${String(passed).padStart(3)} got through`,
    );
    console.log(`\n${suite}: attack cases per class\n${rows.join('\n')}`);
  },
};
