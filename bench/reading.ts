import type { DocInput } from './write-doc';

/** The "reading" section: what the numbers say, and for each missed target the measured cause. */
export function readingOf(input: DocInput): string {
  const missed = input.summary.targets.filter((t) => t.met === false);
  const lines = ['## Reading', ''];
  if (missed.length === 0) lines.push('Every target of the issue was met in this run.');
  for (const target of missed) lines.push(`- **${target.name}** missed (${target.value}, target ${target.goal}).`);
  if (input.portalCpuMsPerRequest !== undefined) {
    lines.push('', `The portal spent ${input.portalCpuMsPerRequest.toFixed(3)} ms of CPU per REST-mix request.`);
  }
  return lines.join('\n');
}
