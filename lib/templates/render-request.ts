/**
 * Renders what a delivery sends: its URL (which may hold handlebars) and its body (the standard
 * envelope as JSON, or a custom handlebars payload).
 */

export interface RenderRequestInput {
  hubId: string;
  urlTemplate: string;
  /** `null` for the standard payload. */
  payloadTemplate: string | null;
  envelope: Record<string, unknown>;
}

export type RenderRequestResult = { ok: true; url: string; body: string } | { ok: false; error: string };

export async function renderRequest(input: RenderRequestInput): Promise<RenderRequestResult> {
  if (input.payloadTemplate !== null || input.urlTemplate.includes('{{')) {
    return { ok: false, error: 'Templates are not supported yet' };
  }
  return { ok: true, url: input.urlTemplate, body: JSON.stringify(input.envelope) };
}
