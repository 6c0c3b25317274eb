/**
 * A previous version of a documented sample, for the editor's preview: so `previous`, `changes`
 * and `changed` filters show something there too. Made from the sample itself, a save earlier:
 * one version back, another label or name, and (content items) another delivery key.
 */
export function samplePreviousPayload(payload: Record<string, unknown>): Record<string, unknown> {
  const previous = structuredClone(payload);
  if (typeof previous.version === 'number' && previous.version > 1) previous.version -= 1;
  if (typeof previous.label === 'string') previous.label = `${previous.label} (draft)`;
  else if (typeof previous.name === 'string') previous.name = `${previous.name} (draft)`;
  const meta = (previous.body as { _meta?: Record<string, unknown> } | undefined)?._meta;
  if (meta && typeof meta.deliveryKey === 'string') meta.deliveryKey = `${meta.deliveryKey}-draft`;
  return previous;
}
