import { describe, expect, it } from 'vitest';
import { filterPathMessages } from '../../../components/webhook-editor/filter-path-messages';

describe('the editor marks a filter path as it is typed', () => {
  it.each(['$.payload[', '$[', '$.payload.name['])('marks %s invalid with the reason', (path) => {
    expect(filterPathMessages(path, undefined)).toEqual([
      `invalid JSONPath ${JSON.stringify(path)}: "[" is not closed at character ${path.length}`,
    ]);
  });

  it('marks a path with two recursive descents as refused', () => {
    expect(filterPathMessages('$..*..*', undefined)?.[0]).toMatch(
      /^JSONPath refused "\$\.\.\*\.\.\*": it has 2 recursive descents/,
    );
  });

  it('leaves a valid or an empty path unmarked', () => {
    expect(filterPathMessages('$.payload.assignees[*]', undefined)).toBeUndefined();
    expect(filterPathMessages('  ', undefined)).toBeUndefined();
  });

  it("replaces the last save's refusal of the path by the check of the text as it is now, keeping other messages", () => {
    const saved = ['invalid JSONPath "$.payload[": "[" is not closed at character 10', 'JSONPath is required'];
    expect(filterPathMessages('$.payload.id', saved)).toEqual(['JSONPath is required']);
    expect(filterPathMessages('$.payload[', [saved[0] as string])).toEqual([saved[0]]);
  });
});
