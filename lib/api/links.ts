import { type ApiRequest, headerOf } from './api-request';

/** Absolute hrefs: the SDK resolves links against its own base, so relative ones would break. */
export class Links {
  readonly api: string;

  constructor(origin: string) {
    this.api = `${origin.replace(/\/$/, '')}/v2/content`;
  }

  hub(hubId: string): string {
    return `${this.api}/hubs/${hubId}`;
  }

  webhooks(hubId: string): string {
    return `${this.hub(hubId)}/webhooks`;
  }

  webhook(hubId: string, id: string): string {
    return `${this.webhooks(hubId)}/${id}`;
  }

  requests(hubId: string, webhookId: string): string {
    return `${this.webhook(hubId, webhookId)}/requests`;
  }

  request(hubId: string, webhookId: string, id: string): string {
    return `${this.requests(hubId, webhookId)}/${id}`;
  }

  events(hubId: string): string {
    return `${this.hub(hubId)}/events`;
  }
}

/**
 * The origin clients reached us on; forwarded headers only count behind a trusted proxy. Herald's
 * web server speaks plain HTTP (TLS ends at the proxy in front of it, if any).
 */
export function requestOrigin(request: Pick<ApiRequest, 'headers'>, trustProxy: boolean): string {
  if (trustProxy) {
    const proto = headerOf(request, 'x-forwarded-proto')?.split(',')[0]?.trim();
    const host = headerOf(request, 'x-forwarded-host')?.split(',')[0]?.trim();
    if (host) return `${proto ?? 'http'}://${host}`;
  }
  return `http://${headerOf(request, 'host') ?? 'localhost'}`;
}
