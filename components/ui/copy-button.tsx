'use client';

import { useState } from 'react';
import { buttonClass } from '@/components/ui/button';

/** Copies `text` to the clipboard and says so (politely) for screen readers too. */
export function CopyButton({ text, label, size = 'sm' }: { text: string; label: string; size?: 'sm' | 'md' }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      // No clipboard permission (e.g. plain http on another host): the text is selectable instead.
      setState('failed');
    }
    window.setTimeout(() => setState('idle'), 2500);
  }
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" onClick={copy} className={buttonClass('secondary', size)}>
        {label}
      </button>
      <span aria-live="polite" className="text-xs text-slate-600">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy it by hand' : ''}
      </span>
    </span>
  );
}
