import { apiToken, startApiServer } from './herald';

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** Herald's Management API over real HTTP (the API server on 127.0.0.1), with a client's bearer token. */
export class HeraldApi {
  private constructor(
    readonly url: string,
    private readonly token: string,
    readonly close: () => Promise<void>,
  ) {}

  static async start(clientName: string): Promise<HeraldApi> {
    const server = await startApiServer();
    return new HeraldApi(server.url, await apiToken(server.url, clientName), server.close);
  }

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
    const response = await fetch(`${this.url}/v2/content${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }

  /** Creates a webhook and returns its id (fails the test on anything but 201). */
  async createWebhook(hubId: string, webhook: Record<string, unknown>): Promise<string> {
    const answer = await this.call<{ id: string }>('POST', `/hubs/${hubId}/webhooks`, webhook);
    if (answer.status !== 201) throw new Error(`create webhook: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.id;
  }

  /** Emits one event; resolves once Herald has committed it (202). */
  async emit(hubId: string, name: string, payload: Record<string, unknown>): Promise<{ sequenceId: number }> {
    const answer = await this.call<{ sequenceId: number }>('POST', `/hubs/${hubId}/events`, { name, payload });
    if (answer.status !== 202) throw new Error(`emit: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
}
