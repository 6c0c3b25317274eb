import { describe, expect, it } from 'vitest';
import { EditorEchoes } from '../../../components/webhook-editor/editor-echoes';

/** Types `text` key by key into an editor, as Monaco reports it; returns what was reported. */
function type(echoes: EditorEchoes, start: string, text: string): string[] {
  const reports: string[] = [];
  let current = start;
  for (const character of text) {
    current += character;
    echoes.reported(current);
    reports.push(current);
  }
  return reports;
}

describe('the payload editor keeps what is typed', () => {
  it('never writes back a render that is behind the keys typed since (keys < 30 ms apart)', () => {
    const echoes = new EditorEchoes();
    const reports = type(echoes, '{', '"ab"');
    const editorHolds = reports.at(-1) ?? '';
    // React rendered after the first two keys only, then caught up: neither render may overwrite.
    expect(echoes.shouldApply(reports[1] ?? '', editorHolds)).toBe(false);
    expect(echoes.shouldApply(editorHolds, editorHolds)).toBe(false);
  });

  it('a render that skips reports, or repeats a value typed twice, is still the editor’s own', () => {
    const echoes = new EditorEchoes();
    for (const value of ['a', '', 'a', 'ab']) echoes.reported(value);
    expect(echoes.shouldApply('a', 'ab')).toBe(false);
    expect(echoes.shouldApply('', 'ab')).toBe(false);
    expect(echoes.shouldApply('a', 'ab')).toBe(false);
  });

  it('writes a value the editor never held (a reset, a value set by code)', () => {
    const echoes = new EditorEchoes();
    type(echoes, '', 'abc');
    expect(echoes.shouldApply('abc', 'abc')).toBe(false);
    expect(echoes.shouldApply('{"event": "{{name}}"}', 'abc')).toBe(true);
    // Once written, the editor reports it; that report coming back is not written again.
    echoes.reported('{"event": "{{name}}"}');
    expect(echoes.shouldApply('{"event": "{{name}}"}', '{"event": "{{name}}"}')).toBe(false);
  });
});
