import { z } from 'zod';

export const MAX_FILTERS = 10;

const ZJsonPathArgument = z.object({
  jsonPath: z.string().trim().min(1, 'JSONPath is required').max(1024, 'JSONPath may be at most 1024 characters'),
});

const ZFilterValueString = z.string().max(2048, 'a value may be at most 2048 characters');

export const ZEqualFilter = z.object({
  type: z.literal('equal'),
  arguments: z.tuple([ZJsonPathArgument, z.object({ value: ZFilterValueString })], {
    error: 'must be [{ jsonPath }, { value }]',
  }),
});

export const ZInFilter = z.object({
  type: z.literal('in'),
  arguments: z.tuple(
    [
      ZJsonPathArgument,
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

export const ZFilter = z.discriminatedUnion('type', [ZEqualFilter, ZInFilter], {
  error: (issue) => (issue.code === 'invalid_union' ? 'type must be "equal" or "in"' : undefined),
});

export type TFilter = z.infer<typeof ZFilter>;

export type FilterOutcome = 'matched' | 'not_matched' | 'ignored';

export interface FilterReportEntry {
  jsonPath: string;
  type: TFilter['type'];
  expected: string | string[];
  /** The values the path selected (at most 10, each at most 1 KB of JSON). */
  found: unknown[];
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
