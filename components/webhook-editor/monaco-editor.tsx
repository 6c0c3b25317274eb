'use client';

import Editor, { loader, type OnMount } from '@monaco-editor/react';

// Herald runs air-gapped: Monaco comes from the app itself (app/monaco/[...path]), never a CDN.
loader.config({ paths: { vs: '/monaco/vs' } });

export type CodeEditor = Parameters<OnMount>[0];

/** Monaco with Herald's settings; `handlebars` is one of Monaco's built-in languages. */
export default function MonacoEditor({
  value,
  onChange,
  onMount,
  ariaLabel,
  language = 'handlebars',
  height = 320,
}: {
  value: string;
  onChange: (value: string) => void;
  onMount?: (editor: CodeEditor) => void;
  ariaLabel: string;
  language?: string;
  height?: number;
}) {
  return (
    <Editor
      height={height}
      language={language}
      value={value}
      onChange={(next) => onChange(next ?? '')}
      onMount={(editor) => onMount?.(editor)}
      loading={<span className="text-sm text-zinc-500">Loading editor…</span>}
      options={{
        ariaLabel,
        minimap: { enabled: false },
        fontSize: 13,
        lineNumbersMinChars: 3,
        wordWrap: 'on',
        scrollBeyondLastLine: false,
        tabSize: 2,
        automaticLayout: true,
        renderLineHighlight: 'line',
        fixedOverflowWidgets: true,
        tabFocusMode: false,
      }}
    />
  );
}
