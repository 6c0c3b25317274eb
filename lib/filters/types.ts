import { z } from 'zod';
import { jsonPathError } from './json-path';
import { MAX_FILTERS } from './limits';

export { MAX_FILTERS };
export const MAX_FILTER_VALUE_LENGTH = 2048;

const ZJsonPathText = z
  .string()
  .trim()
  .min(1, 'JSONPath is required')
  .max(1024, 'JSONPath may be at most 1024 characters');

/**
 * Saved paths must parse strictly and be bounded (lib/filters/json-path.ts): refused with the
 * reason, rather than stored to be ignored (or to hold every event back) at evaluation.
 */
const ZJsonPathArgument = z.object({
  jsonPath: ZJsonPathText.superRefine((path, ctx) => {
    const error = jsonPathError(path);
    if (error) ctx.addIssue({ code: 'custom', message: error });
  }),
});

const ZFilterValueString = z
  .string()
  .max(MAX_FILTER_VALUE_LENGTH, `a value may be at most ${MAX_FILTER_VALUE_LENGTH} characters`);

function filterSchema(jsonPathArgument: z.ZodType<{ jsonPath: string }>) {
  const equal = z.object({
    type: z.literal('equal'),
    arguments: z.tuple([jsonPathArgument, z.object({ value: ZFilterValueString })], {
      error: 'must be [{ jsonPath }, { value }]',
    }),
  });
  const oneOf = z.object({
    type: z.literal('in'),
    arguments: z.tuple(
      [
        jsonPathArgument,
        z.object({
          value: z
            .array(ZFilterValueString)
            .min(1, '`in` needs at least one value')
            .max(100, '`in` takes at most 100 values'),
        }),
      ],
      { error: 'must be [{ jsonPath }, { value: [...] }]' },
    ),
  });
  // Herald's own type (lib/filters/changed.ts): true when the value at the path differs from the
  // previous event of the same key. One argument; Amplience's clients only know the two above.
  const changed = z.object({
    type: z.literal('changed'),
    arguments: z.tuple([jsonPathArgument], { error: 'must be [{ jsonPath }]' }),
  });
  return z.discriminatedUnion('type', [equal, oneOf, changed], {
    error: (issue) => (issue.code === 'invalid_union' ? 'type must be "equal", "in" or "changed"' : undefined),
  });
}

/** A filter as it may be saved. */
export const ZFilter = filterSchema(ZJsonPathArgument);

/** A filter of any path, as the editor's preview evaluates it (an invalid path is reported there, not refused). */
export const ZFilterShape = filterSchema(z.object({ jsonPath: ZJsonPathText }));

export type TFilter = z.infer<typeof ZFilter>;

export type FilterOutcome = 'matched' | 'not_matched' | 'ignored';

export type FilterType = TFilter['type'];

/** The value(s) an `equal` or `in` filter accepts; none for `changed`. */
export function filterExpected(filter: TFilter): string | string[] | undefined {
  return filter.type === 'changed' ? undefined : filter.arguments[1].value;
}

export interface FilterReportEntry {
  jsonPath: string;
  type: FilterType;
  /** What `equal` / `in` accept; absent for `changed`. */
  expected?: string | string[];
  /** The values the path selected (at most 10, each at most 1 KB of JSON). */
  found: unknown[];
  /** `changed`: what the path selected in the previous event of the key (absent when there is none). */
  previous?: unknown[];
  /** `changed`: the comparison in words (`was "a", now "b"`, `first event of this key`). */
  change?: string;
  outcome: FilterOutcome;
  /** The selected value that matched, for "matched". */
  matchedValue?: string;
  /** Why a filter was ignored or did not match. */
  reason?: string;
}

export interface FilterReport {
  /** True when every filter matched or was ignored. */
  matched: boolean;
  filters: FilterReportEntry[];
}
