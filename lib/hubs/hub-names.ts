import { z } from 'zod';

/**
 * A hub's name identifies it in the API (`GET /hubs` lists it); the label is what people read.
 * Pure (no database), so forms use the same rules.
 */
export const ZHubName = z
  .string({ error: 'name is required' })
  .trim()
  .min(1, 'name is required')
  .max(128, 'name may be at most 128 characters')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'name may hold letters, digits, ".", "_" and "-", starting with a letter or digit',
  );

export const ZHubLabel = z
  .string({ error: 'label is required' })
  .trim()
  .min(1, 'label is required')
  .max(256, 'label may be at most 256 characters')
  .refine((label) => !/\p{Cc}/u.test(label), 'label may not hold control characters');

export const ZHubInput = z.object({ name: ZHubName, label: ZHubLabel });

/** A name for a hub from its label, for people who only choose a label. */
export function hubNameFromLabel(label: string): string {
  const name = label
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 128)
    .replace(/-+$/, '');
  return name || 'hub';
}
