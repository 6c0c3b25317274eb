import type { TemplateKind } from './limits';
import { CONTENT_ITEM_HELPER, parseTemplate } from './validate';

/**
 * What the render path needs to know about a template before sending it to a render thread:
 * whether it is valid, and (only if it calls withDeliveryContentItem) its AST for the content
 * pre-pass. Cached by source, because the same few templates render for every delivery.
 */
export type TemplateAnalysis = { ok: true; ast?: hbs.AST.Program } | { ok: false; message: string };

const CACHE_SIZE = 500;
const cache = new Map<string, TemplateAnalysis>();

export function analyzeTemplate(source: string, kind: TemplateKind): TemplateAnalysis {
  const key = `${kind}\u0000${source}`;
  const cached = cache.get(key);
  if (cached) {
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const parsed = parseTemplate(source, kind);
  const analysis: TemplateAnalysis = !parsed.ok
    ? { ok: false, message: parsed.message }
    : source.includes(CONTENT_ITEM_HELPER)
      ? { ok: true, ast: parsed.ast }
      : { ok: true };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, analysis);
  return analysis;
}
