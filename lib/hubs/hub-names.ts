/**
 * A hub's name identifies it in the API (`GET /hubs` lists it); the label is what people read.
 * Free of zod and of the database: the new-hub form derives a name as the server does (zod builds
 * its object schemas with `new Function`, which the admin's CSP refuses in the browser).
 */
export const HUB_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

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
