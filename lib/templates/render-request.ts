/**
 * Renders what a delivery sends: its URL (which may hold handlebars) and its body (the standard
 * envelope as JSON, or a custom handlebars payload).
 */
import { type ContentSource, contentSource } from '../content/fetch-content-item';
import { errorDetail } from '../errors';
import { logger } from '../logger';
import { type ContentCall, collectContentCalls, contentCallKey, TooManyContentCallsError } from './content-calls';
import { type ContentLoadLimits, contentLoadLimits } from './content-load-limits';
import { renderPool } from './default-render-pool';
import {
  CONTENT_FETCH_TIMEOUT_MS,
  describeSizeOverLimit,
  MAX_CONTENT_CALLS,
  MAX_OUTPUT_BYTES,
  templateLabel,
} from './limits';
import { prefetchContent } from './prefetch-content';
import { usesPrevious } from './previous-context';
import type { RenderJob, RenderJobResult, RenderPool } from './render-pool';
import { analyzeTemplate } from './template-analysis';

export interface RenderRequestInput {
  hubId: string;
  urlTemplate: string;
  /** `null` for the standard payload. */
  payloadTemplate: string | null;
  /**
   * The standard envelope, or its JSON text. The worker passes the text: the standard body is then
   * that text as is, and a template's context is parsed in the render thread, so this thread
   * neither parses, stringifies nor clones the event.
   */
  envelope: Record<string, unknown> | string;
  /**
   * The webhook the render is for: the render pool shares its threads fairly between webhooks and
   * pauses one whose renders keep hitting the time limit. Renders without it share one lane.
   */
  webhookId?: string;
  /**
   * Loads the previous payload of the event's key as JSON text (null when there is none), for
   * templates that use `previous` or `changes`; called only for those (see usesPrevious).
   */
  previousPayload?: () => Promise<string | null>;
}

export type RenderRequestResult =
  | { ok: true; url: string; body: string }
  /**
   * `retryable`: not a verdict on this render: content it needs could not be fetched right now, or
   * the render pool postponed it (no thread free in time, or the webhook is paused after renders
   * that kept hitting the time limit).
   */
  | { ok: false; error: string; retryable?: boolean };

export interface RequestRendererDeps {
  pool?: () => RenderPool;
  /**
   * Fetches one withDeliveryContentItem call for a hub, as is (tests). By default the content
   * comes from Herald's store or HERALD_CONTENT_DELIVERY_URL, loaded once per item and render.
   */
  fetchContent?: (hubId: string, call: ContentCall) => Promise<unknown | null>;
  /** The worker-wide load slots and memory ceiling; the process-wide ones by default. */
  limits?: () => ContentLoadLimits;
  /** The content budget of one render; CONTENT_BUDGET_BYTES by default. */
  contentBudgetBytes?: number;
}

const defaultSource = (hubId: string, call: ContentCall): ContentSource =>
  contentSource({ hubId, ...call }, { timeoutMs: CONTENT_FETCH_TIMEOUT_MS });

/** A plain fetch function as a source: each call is its own load, its content counted once rendered. */
function sourceOfFetch(fetch: (hubId: string, call: ContentCall) => Promise<unknown | null>) {
  return (hubId: string, call: ContentCall): ContentSource => ({
    key: contentCallKey(call),
    load: () => fetch(hubId, call),
    present: (content) => content,
  });
}

/** `renderRequest` with its pool and content source replaceable (tests, previews). */
export function createRequestRenderer(deps: RequestRendererDeps = {}) {
  const pool = deps.pool ?? renderPool;
  const sourceFor = deps.fetchContent ? sourceOfFetch(deps.fetchContent) : defaultSource;
  const limits = deps.limits ?? contentLoadLimits;

  return async function render(input: RenderRequestInput): Promise<RenderRequestResult> {
    const envelopeJson = () => (typeof input.envelope === 'string' ? input.envelope : JSON.stringify(input.envelope));
    const envelopeObject = () =>
      typeof input.envelope === 'string' ? (JSON.parse(input.envelope) as Record<string, unknown>) : input.envelope;
    const urlIsTemplate = input.urlTemplate.includes('{{');
    // Fast path, most deliveries: nothing to render, so no thread hop at all.
    if (!urlIsTemplate && input.payloadTemplate === null) {
      const url = checkUrl(input.urlTemplate, false);
      return url.ok ? { ok: true, url: url.url, body: envelopeJson() } : url;
    }

    const templates: RenderJob['templates'] = [];
    if (urlIsTemplate) templates.push({ kind: 'url', source: input.urlTemplate });
    if (input.payloadTemplate !== null) templates.push({ kind: 'payload', source: input.payloadTemplate });

    const calls = new Map<string, ContentCall>();
    for (const { kind, source } of templates) {
      const analysis = analyzeTemplate(source, kind);
      if (!analysis.ok) {
        // A size message already names the template ("The custom payload template is 6.2 KB; …").
        const sentence = analysis.message.startsWith('The ');
        return {
          ok: false,
          error: sentence ? analysis.message : `The ${templateLabel(kind)} is invalid: ${analysis.message}`,
        };
      }
      if (!analysis.ast) continue;
      try {
        for (const call of collectContentCalls(analysis.ast, envelopeObject())) calls.set(contentCallKey(call), call);
      } catch (error) {
        if (error instanceof TooManyContentCallsError) return { ok: false, error: error.message };
        throw error;
      }
    }
    if (calls.size > MAX_CONTENT_CALLS) {
      return { ok: false, error: `The templates make more than ${MAX_CONTENT_CALLS} withDeliveryContentItem calls` };
    }

    let previous: string | null | undefined;
    if (input.previousPayload && templates.some(({ source }) => usesPrevious(source))) {
      try {
        previous = await input.previousPayload();
      } catch (error) {
        logger('templates', { webhookId: input.webhookId }).warn(`previous payload not read: ${errorDetail(error)}`);
        return { ok: false, error: 'The previous version of the event could not be read', retryable: true };
      }
    }

    if (calls.size === 0) return renderJob(input, templates, [], urlIsTemplate, envelopeJson, previous);
    const prefetched = await prefetchContent([...calls.values()], (call) => sourceFor(input.hubId, call), {
      limits: limits(),
      budgetBytes: deps.contentBudgetBytes,
    });
    if (!prefetched.ok) {
      // Over its content budget is a verdict on this render; anything else may work later.
      return prefetched.retryable
        ? { ok: false, error: prefetched.error, retryable: true }
        : { ok: false, error: prefetched.error };
    }
    try {
      return await renderJob(input, templates, prefetched.contents, urlIsTemplate, envelopeJson, previous);
    } finally {
      // The content stays counted in the worker's ceiling until the thread is done with it.
      prefetched.release();
    }
  };

  async function renderJob(
    input: RenderRequestInput,
    templates: RenderJob['templates'],
    contents: RenderJob['contents'],
    urlIsTemplate: boolean,
    envelopeJson: () => string,
    previous: string | null | undefined,
  ): Promise<RenderRequestResult> {
    const result = await pool().run(
      { templates, context: input.envelope, contents, maxOutputBytes: MAX_OUTPUT_BYTES, previous },
      input.webhookId,
    );
    if (!result.ok) {
      const postponed = result.reason === 'parked' || result.reason === 'busy';
      return postponed
        ? { ok: false, error: result.message, retryable: true }
        : { ok: false, error: describeFailure(result) };
    }

    const outputs = [...result.outputs];
    const url = urlIsTemplate ? checkUrl(outputs.shift() ?? '', true) : checkUrl(input.urlTemplate, false);
    if (!url.ok) return url;
    const body = input.payloadTemplate === null ? envelopeJson() : (outputs.shift() ?? '');
    return { ok: true, url: url.url, body };
  }
}

let defaultRenderer: ReturnType<typeof createRequestRenderer> | undefined;

/**
 * Called by the delivery worker on a delivery's first attempt, and by the admin UI's preview.
 * Never throws: anything unexpected becomes a failed render with a generic message (and a log line).
 */
export async function renderRequest(input: RenderRequestInput): Promise<RenderRequestResult> {
  defaultRenderer ??= createRequestRenderer();
  try {
    return await defaultRenderer(input);
  } catch (error) {
    logger('templates', { webhookId: input.webhookId }).error(`render failed unexpectedly: ${errorDetail(error)}`);
    return { ok: false, error: 'render failed: unexpected error' };
  }
}

/** The URL as rendered (trimmed), if it is an absolute http(s) URL. */
function checkUrl(raw: string, rendered: boolean): { ok: true; url: string } | { ok: false; error: string } {
  const url = raw.trim();
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.host !== '') {
    return { ok: true, url };
  }
  const shown = url.length > 200 ? `${url.slice(0, 200)}…` : url;
  return {
    ok: false,
    error: rendered
      ? `The URL template rendered to "${shown}" which is not an absolute http(s) URL`
      : `The URL "${shown}" is not an absolute http(s) URL`,
  };
}

function describeFailure(result: Exclude<RenderJobResult, { ok: true }>): string {
  switch (result.reason) {
    case 'too-large':
      return `The ${templateLabel(result.kind)} rendered to ${describeSizeOverLimit(result.bytes, MAX_OUTPUT_BYTES)}`;
    case 'error': {
      const where = result.line === undefined ? '' : `Line ${result.line}, column ${result.column}: `;
      const missing = /^Missing helper: "(.+)"$/.exec(result.message);
      const why = missing ? `"${missing[1]}" is not a supported helper` : result.message;
      return `The ${templateLabel(result.kind)} could not be rendered: ${where}${why}`;
    }
    default:
      return result.message;
  }
}
