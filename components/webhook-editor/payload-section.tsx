'use client';

import { useRef } from 'react';
import { Section } from '@/components/ui/card';
import { FieldError } from '@/components/ui/field';
import { errorsFor } from '@/components/ui/field-errors';
import { Menu } from '@/components/ui/menu';
import { CONTENT_ITEM_HELPER, EXCLUDED_HELPER_NAMES, SUPPORTED_HELPER_GROUPS } from '@/lib/templates/helper-names';
import { MAX_TEMPLATE_BYTES } from '@/lib/templates/limits';
import { byteLength, type EditorSectionProps } from './editor-state';
import { payloadSnippets } from './payload-snippets';
import { type CodeEditor, TemplateEditor } from './template-editor';

function formatKb(bytes: number): string {
  return `${(bytes / 1024).toFixed(bytes < 1024 ? 2 : 1)} KB`;
}

export function PayloadSection({ state, update, errors }: EditorSectionProps) {
  const editor = useRef<CodeEditor | null>(null);
  const bytes = byteLength(state.template);
  const over = bytes > MAX_TEMPLATE_BYTES;
  const templateErrors = errorsFor(errors, 'customPayload', true);

  const insert = (text: string) => {
    const instance = editor.current;
    if (!instance) {
      update({ template: state.template + text });
      return;
    }
    const selection = instance.getSelection();
    if (selection) instance.executeEdits('snippets', [{ range: selection, text, forceMoveMarkers: true }]);
    instance.focus();
  };

  return (
    <Section id="payload" title="Payload" description="What the request body holds.">
      <fieldset>
        <legend className="sr-only">Payload type</legend>
        <div className="flex flex-wrap gap-x-6 gap-y-2">
          {(
            [
              ['standard', 'Standard', 'the event as JSON'],
              ['custom', 'Custom', 'a handlebars template'],
            ] as const
          ).map(([value, label, hint]) => (
            <label key={value} className="flex cursor-pointer items-center gap-2 text-sm">
              <input
                type="radio"
                name="payload-mode"
                value={value}
                checked={state.payloadMode === value}
                onChange={() => update({ payloadMode: value })}
                className="h-4 w-4 accent-indigo-600"
              />
              <span className="font-medium">{label}</span>
              <span className="text-zinc-500">({hint})</span>
            </label>
          ))}
        </div>
      </fieldset>
      {state.payloadMode === 'custom' ? (
        <div className="mt-4">
          <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
            <p className="text-xs text-zinc-600">
              Handlebars over the standard payload (<code className="font-mono">name</code>,{' '}
              <code className="font-mono">payload.…</code>), plus <code className="font-mono">previous</code> (the
              previous payload of the same content item or edition, absent the first time) and{' '}
              <code className="font-mono">changes</code> (the paths that differ, e.g.{' '}
              <code className="font-mono">body.slug</code>), with the supported helpers. No partials.
            </p>
            <Menu
              label="Snippets"
              align="right"
              items={payloadSnippets(state.events).map((snippet) => ({
                label: snippet.label,
                description: snippet.text.split('\n')[0],
                onSelect: () => insert(snippet.text),
              }))}
            />
          </div>
          <details className="mb-2 text-xs text-zinc-600" data-testid="helper-groups">
            <summary className="cursor-pointer font-medium text-zinc-700">Supported helpers</summary>
            <p className="mt-1">
              The handlebars-helpers groups{' '}
              {SUPPORTED_HELPER_GROUPS.map((group, index) => (
                <span key={group}>
                  {index > 0 ? ', ' : ''}
                  <code className="font-mono">{group}</code>
                </span>
              ))}
              , and <code className="font-mono">{CONTENT_ITEM_HELPER}</code> to fetch content. Not supported:{' '}
              {[...EXCLUDED_HELPER_NAMES].map((name, index) => (
                <span key={name}>
                  {index > 0 ? ', ' : ''}
                  <code className="font-mono">{name}</code>
                </span>
              ))}
              .
            </p>
          </details>
          <TemplateEditor
            value={state.template}
            onChange={(template) => update({ template })}
            onMount={(instance) => {
              editor.current = instance;
            }}
            ariaLabel="Custom payload template"
            invalid={over || Boolean(templateErrors)}
          />
          <div className="mt-1 flex flex-wrap justify-between gap-2 text-xs">
            <FieldError messages={templateErrors} />
            <span className="text-zinc-500">
              Tab indents; press <kbd className="font-mono">Ctrl+M</kbd> to let Tab move focus out of the editor.
            </span>
            <span
              data-testid="template-size"
              className={`ml-auto tabular-nums ${over ? 'font-semibold text-red-700' : 'text-zinc-500'}`}
            >
              {formatKb(bytes)} of 5 KB{over ? ' — too large' : ''}
            </span>
          </div>
        </div>
      ) : (
        <p className="mt-3 text-sm text-zinc-600">
          The standard payload:{' '}
          <code className="font-mono">{'{ sequenceId, id, name, requestId, resource, payload }'}</code>.
        </p>
      )}
    </Section>
  );
}
