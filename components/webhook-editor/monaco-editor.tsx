'use client';

import Editor, { loader, type OnMount } from '@monaco-editor/react';
import { useEffect, useMemo, useRef } from 'react';
import { EditorEchoes } from './editor-echoes';

// Herald runs air-gapped: Monaco comes from the app itself (app/monaco/[...path]), never a CDN.
loader.config({ paths: { vs: '/monaco/vs' } });

export type CodeEditor = Parameters<OnMount>[0];

/**
 * Monaco with Herald's settings; `handlebars` is one of Monaco's built-in languages.
 *
 * The editor is uncontrolled: it starts from `value`, reports every change through `onChange`,
 * and takes `value` again only when it is not one of its own changes coming back (see
 * editor-echoes.ts). Passing `value` to Monaco's React wrapper instead writes any older value a
 * render carries over the text, and fast typing loses characters.
 */
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
  const editor = useRef<CodeEditor | null>(null);
  const echoes = useRef(new EditorEchoes());
  // Monaco's wrapper keeps the first onMount it is given: it reads the latest props through these.
  const latest = useRef({ value, onMount });
  useEffect(() => {
    latest.current = { value, onMount };
  });
  // The wrapper calls updateOptions whenever this object changes: keep it stable across renders.
  const options = useMemo(
    () => ({
      ariaLabel,
      minimap: { enabled: false },
      fontSize: 13,
      lineNumbersMinChars: 3,
      wordWrap: 'on' as const,
      scrollBeyondLastLine: false,
      tabSize: 2,
      automaticLayout: true,
      renderLineHighlight: 'line' as const,
      fixedOverflowWidgets: true,
      tabFocusMode: false,
    }),
    [ariaLabel],
  );

  useEffect(() => {
    const instance = editor.current;
    const model = instance?.getModel();
    if (!instance || !model || !echoes.current.shouldApply(value, model.getValue())) return;
    // An edit rather than setValue, so undo can take it back.
    instance.executeEdits('props', [{ range: model.getFullModelRange(), text: value, forceMoveMarkers: true }]);
    instance.pushUndoStop();
  }, [value]);

  return (
    <Editor
      height={height}
      language={language}
      defaultValue={value}
      onChange={(next) => {
        const text = next ?? '';
        echoes.current.reported(text);
        onChange(text);
      }}
      onMount={(instance) => {
        editor.current = instance;
        // The value may have changed while Monaco loaded.
        if (instance.getValue() !== latest.current.value) instance.setValue(latest.current.value);
        latest.current.onMount?.(instance);
      }}
      loading={<span className="text-sm text-zinc-500">Loading editor…</span>}
      options={options}
    />
  );
}
