'use client';

import dynamic from 'next/dynamic';
import type { CodeEditor } from './monaco-editor';

const MonacoEditor = dynamic(() => import('./monaco-editor'), {
  ssr: false,
  loading: () => (
    <div className="flex h-[320px] items-center justify-center text-sm text-zinc-500" role="status">
      Loading editor…
    </div>
  ),
});

export type { CodeEditor };

export function TemplateEditor(props: {
  value: string;
  onChange: (value: string) => void;
  onMount?: (editor: CodeEditor) => void;
  ariaLabel: string;
  invalid?: boolean;
}) {
  return (
    <div
      data-testid="template-editor"
      className={`overflow-hidden rounded-md border bg-white ${props.invalid ? 'border-red-500' : 'border-zinc-300'}`}
    >
      <MonacoEditor {...props} />
    </div>
  );
}
