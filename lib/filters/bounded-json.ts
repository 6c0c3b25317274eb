/**
 * The JSON text of a parsed-JSON value, cut at `limit` characters. A filter may select a whole
 * payload: JSON.stringify of it for every webhook of a hub would cost the event's size each time,
 * where a comparison or a preview needs only its first kilobytes. The work is bounded by `limit`.
 */
export function jsonPrefix(value: unknown, limit: number): { text: string; complete: boolean } {
  const parts: string[] = [];
  let length = 0;
  const add = (text: string): boolean => {
    if (length + text.length > limit) {
      parts.push(text.slice(0, limit - length));
      length = limit;
      return false;
    }
    length += text.length;
    parts.push(text);
    return true;
  };
  // A string's JSON is longer than the string: escape only what could still fit (a cut one never does).
  const string = (text: string): boolean => {
    const room = limit - length;
    return add(JSON.stringify(text.length > room ? text.slice(0, room) : text));
  };

  const write = (node: unknown): boolean => {
    if (typeof node === 'string') return string(node);
    if (node === null || typeof node !== 'object') return add(JSON.stringify(node) ?? 'null');
    if (Array.isArray(node)) {
      if (!add('[')) return false;
      for (let i = 0; i < node.length; i++) {
        if (i > 0 && !add(',')) return false;
        if (!write(node[i] === undefined ? null : node[i])) return false;
      }
      return add(']');
    }
    if (!add('{')) return false;
    const record = node as Record<string, unknown>;
    let first = true;
    // for…in rather than Object.entries: stopping early must not cost a list of every key first.
    for (const key in record) {
      const child = record[key];
      if (!Object.hasOwn(record, key) || child === undefined) continue;
      if (!first && !add(',')) return false;
      first = false;
      if (!string(key) || !add(':') || !write(child)) return false;
    }
    return add('}');
  };
  const complete = write(value);
  return { text: parts.join(''), complete };
}
