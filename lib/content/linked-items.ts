import { CONTENT_LINK_SCHEMA, isJsonObject, type JsonObject, mapJson, schemaOf } from './schemas';

/**
 * `depth=all&format=inlined`: content links are replaced by the linked item's content, at any
 * depth, when Herald knows that item. Each item is inlined once: the reference nearest the root
 * (then the first in document order) gets the content, and any later reference to the same item,
 * or back to an item on the way (a cycle), stays a link. So the answer is never bigger than the
 * items it holds, whatever shape the links take. Content references stay references (as the
 * delivery API returns them) and unknown links stay links.
 */
export const MAX_LINKED_ITEMS = 200;

/** What one answer may weigh, the root and its inlined items together (as JSON). */
export const MAX_CONTENT_BYTES = 5 * 1024 * 1024;

/** Items loaded per query: bounds what is held in memory beyond the budget before it is checked. */
const LOAD_BATCH = 25;

/** Loads delivery-shaped items by id (missing ids are simply absent from the map). */
export type LoadItems = (ids: string[]) => Promise<Map<string, JsonObject>>;

export interface InlineOptions {
  maxBytes?: number;
}

/** The item with its linked items would be a bigger answer than allowed. */
export class ContentTooLargeError extends Error {
  override name = 'ContentTooLargeError';
  constructor(
    readonly id: string,
    readonly limitBytes: number,
  ) {
    super(
      `content item "${id}" with its linked items is larger than ${limitBytes / 1024 / 1024} MB` +
        ', the most one answer may hold',
    );
  }
}

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

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

export async function inlineLinkedItems(
  rootId: string,
  root: JsonObject,
  load: LoadItems,
  { maxBytes = MAX_CONTENT_BYTES }: InlineOptions = {},
): Promise<JsonObject> {
  let bytes = jsonBytes(root);
  if (bytes > maxBytes) throw new ContentTooLargeError(rootId, maxBytes);
  const known = new Map<string, JsonObject>([[rootId, root]]);
  const missing = new Set<string>();
  const unseen = (id: string) => !known.has(id) && !missing.has(id);
  // One round of queries per level of links; every item loaded ends up inlined exactly once,
  // so the budget is checked as items arrive, before the answer is built.
  let pending = linkedIds(root).filter(unseen);
  while (pending.length > 0 && known.size <= MAX_LINKED_ITEMS) {
    const level = pending.slice(0, MAX_LINKED_ITEMS + 1 - known.size);
    const loadedThisLevel: JsonObject[] = [];
    for (let start = 0; start < level.length; start += LOAD_BATCH) {
      const batch = level.slice(start, start + LOAD_BATCH);
      const loaded = await load(batch);
      for (const id of batch) {
        const content = loaded.get(id);
        if (!content) {
          missing.add(id);
          continue;
        }
        bytes += jsonBytes(content);
        if (bytes > maxBytes) throw new ContentTooLargeError(rootId, maxBytes);
        known.set(id, content);
        loadedThisLevel.push(content);
      }
    }
    pending = [...new Set(loadedThisLevel.flatMap(linkedIds))].filter(unseen);
  }
  return inlineOnce(rootId, root, known);
}

/** Breadth first: a level's links are claimed before any deeper one, in document order. */
function inlineOnce(rootId: string, root: JsonObject, known: ReadonlyMap<string, JsonObject>): JsonObject {
  const claimed = new Set([rootId]);
  const queue: { slot: JsonObject; content: JsonObject }[] = [];
  const claimLinks = (content: JsonObject): JsonObject => {
    const mapped = mapJson(content, (node) => {
      const id = linkId(node);
      const target = id === undefined ? undefined : known.get(id);
      if (id === undefined || !target || claimed.has(id)) return node;
      claimed.add(id);
      // Filled when its turn in the queue comes, so shallower references are claimed first.
      const slot: JsonObject = {};
      queue.push({ slot, content: target });
      return slot;
    });
    return isJsonObject(mapped) ? mapped : {};
  };
  const result = claimLinks(root);
  for (let next = queue.shift(); next; next = queue.shift()) Object.assign(next.slot, claimLinks(next.content));
  return result;
}
