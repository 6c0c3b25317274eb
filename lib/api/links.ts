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

/** The origin clients reached us on; forwarded headers only count behind a trusted proxy. */
export function requestOrigin(request: Request, trustProxy: boolean): string {
  const url = new URL(request.url);
  if (trustProxy) {
    const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
    const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
    if (host) return `${proto ?? url.protocol.replace(':', '')}://${host}`;
  }
  const host = request.headers.get('host');
  return host ? `${url.protocol}//${host}` : url.origin;
}
