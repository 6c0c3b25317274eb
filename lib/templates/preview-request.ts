import { z } from 'zod';
import { parseInput, ValidationError } from '../errors';
import { eventDefinition } from '../events/catalog';
import { envelopeOf } from '../events/envelope';
import { samplePreviousPayload } from '../events/sample-previous';
import { evaluateFilters } from '../filters/evaluate';
import { type FilterReport, type TFilter, ZFilterShape } from '../filters/types';
import { renderRequest } from './render-request';
import { validateTemplate } from './validate';

export const ZPreviewInput = z.object({
  urlTemplate: z.string().max(4096),
  payloadTemplate: z
    .string()
    .max(64 * 1024)
    .nullable(),
  // Filters as they stand in the editor, possibly half-written: each is checked on its own below.
  filters: z.array(z.unknown()).max(20),
  event: z.string().max(128),
  sampleIndex: z.number().int().min(0).max(10),
});

export interface PreviewResult {
  url: string | null;
  body: string | null;
  error: string | null;
  filterReport: FilterReport;
  /** Filters left out of the preview because they are not complete yet (their positions). */
  incompleteFilters: number[];
}

/**
 * The editor's live preview: the request a webhook being edited would send for an event's
 * documented sample, and what its filters make of it. Nothing is stored or sent. The sample's
 * previous version (lib/events/sample-previous.ts) stands for the previous event of its key.
 */
export async function previewRequest(hubId: string, input: unknown): Promise<PreviewResult> {
  const { urlTemplate, payloadTemplate, filters, event, sampleIndex } = parseInput(ZPreviewInput, input);
  const definition = eventDefinition(event);
  const sample = definition?.samples[sampleIndex] ?? definition?.samples[0];
  if (!sample) throw ValidationError.single('event', `no sample for the event ${event}`);
  const envelope = envelopeOf({ ...sample.envelope, resource: hubId }, sample.envelope.payload);
  const valid: TFilter[] = [];
  const incompleteFilters: number[] = [];
  filters.forEach((filter, index) => {
    // Any path: an invalid one shows in the report as ignored, with why, as it would at emit time.
    const parsed = ZFilterShape.safeParse(filter);
    if (parsed.success) valid.push(parsed.data);
    else incompleteFilters.push(index);
  });
  const previousPayload = samplePreviousPayload(sample.envelope.payload);
  const previousEnvelope = envelopeOf(
    { ...sample.envelope, sequenceId: Math.max(0, sample.envelope.sequenceId - 1), resource: hubId },
    previousPayload,
  );
  const filterReport = evaluateFilters(valid, envelope, { kind: 'found', envelope: previousEnvelope });
  const nothing = { url: null, body: null, filterReport, incompleteFilters };
  const templateCheck = payloadTemplate !== null ? validateTemplate(payloadTemplate, 'payload') : { ok: true as const };
  if (!templateCheck.ok) return { ...nothing, error: templateCheck.message };
  if (!urlTemplate.trim()) return { ...nothing, error: 'Enter a URL to preview the request' };
  const rendered = await renderRequest({
    hubId,
    urlTemplate: urlTemplate.trim(),
    payloadTemplate,
    envelope: JSON.stringify(envelope),
    previousPayload: async () => JSON.stringify(previousPayload),
  });
  if (!rendered.ok) return { ...nothing, error: rendered.error };
  return { url: rendered.url, body: rendered.body, error: null, filterReport, incompleteFilters };
}
