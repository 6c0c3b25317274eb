import { CONTENT_LINK_SCHEMA, isJsonObject, type JsonObject, mapJson, schemaOf } from './schemas';

/**
 * `depth=all&format=inlined`: every content link is replaced by the linked item's content, at any
 * depth, when Herald knows that item. Content references stay references (as the delivery API
 * returns them), unknown links stay links, and a link back to an item already on the path (a
 * cycle) is left as a link. Bounded, because links can form a diamond that grows exponentially.
 */
export const MAX_LINKED_ITEMS = 200;
export const MAX_INLINED_LINKS = 1000;

/** Loads delivery-shaped items by id (missing ids are simply absent from the map). */
export type LoadItems = (ids: string[]) => Promise<Map<string, JsonObject>>;

function linkId(node: unknown): string | undefined {
  if (schemaOf(node) !== CONTENT_LINK_SCHEMA || !isJsonObject(node)) return undefined;
  return typeof node.id === 'string' ? node.id : undefined;
}

export function linkedIds(content: unknown): string[] {
  const ids = new Set<string>();
  mapJson(content, (node) => {
    const id = linkId(node);
    if (id) ids.add(id);
    return node;
  });
  return [...ids];
}

export async function inlineLinkedItems(rootId: string, root: JsonObject, load: LoadItems): Promise<JsonObject> {
  const known = new Map<string, JsonObject>([[rootId, root]]);
  const missing = new Set<string>();
  const unseen = (id: string) => !known.has(id) && !missing.has(id);
  // One query per level of links.
  let pending = linkedIds(root).filter(unseen);
  while (pending.length > 0 && known.size <= MAX_LINKED_ITEMS) {
    const batch = pending.slice(0, MAX_LINKED_ITEMS);
    const loaded = await load(batch);
    for (const id of batch) {
      const content = loaded.get(id);
      if (content) known.set(id, content);
      else missing.add(id);
    }
    pending = [...new Set([...loaded.values()].flatMap(linkedIds))].filter(unseen);
  }

  let budget = MAX_INLINED_LINKS;
  const inline = (content: JsonObject, path: ReadonlySet<string>): JsonObject =>
    mapJson(content, (node) => {
      const id = linkId(node);
      const target = id === undefined ? undefined : known.get(id);
      if (id === undefined || !target || path.has(id) || budget <= 0) return node;
      budget -= 1;
      return inline(target, new Set([...path, id]));
    }) as JsonObject;
  return inline(root, new Set([rootId]));
}
