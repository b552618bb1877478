import { CopyButton } from '@/components/ui/copy-button';

/** A labelled block of code or a secret, with a copy button; long lines wrap, never overflow. */
export function CodeBlock({ label, code, copyLabel, testId }: { label: string; code: string; copyLabel: string; testId?: string }) {
  return (
    <figure className="min-w-0">
      <figcaption className="mb-1.5 flex items-center justify-between gap-2">
        <span className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</span>
        <CopyButton text={code} label={copyLabel} />
      </figcaption>
      <pre
        className="overflow-x-auto whitespace-pre-wrap break-all rounded-lg bg-slate-900 px-3 py-2.5 font-mono text-xs leading-relaxed text-slate-100"
        data-testid={testId}
      >
        {code}
      </pre>
    </figure>
  );
}
