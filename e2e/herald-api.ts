import type { APIRequestContext, APIResponse } from '@playwright/test';
import { z } from 'zod';

/** Herald's management API as a client sees it: what fixtures use to set up a test's data. */

const ZWebhook = z.object({
  id: z.string(),
  label: z.string(),
  events: z.array(z.string()),
  handlers: z.array(z.string()),
  method: z.string(),
  secret: z.string(),
  headers: z.array(z.object({ key: z.string(), value: z.string().nullable(), secret: z.boolean() })),
});
export type ApiWebhook = z.infer<typeof ZWebhook>;

const ZEmitted = z.object({
  id: z.string(),
  sequenceId: z.number(),
  deliveries: z.array(z.object({ id: z.string(), webhookId: z.string(), status: z.string() })),
});
export type EmittedEvent = z.infer<typeof ZEmitted>;

export interface WebhookInput {
  label: string;
  events: string[];
  handlers: [string];
  method?: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  secret?: string;
  headers?: { key: string; value: string; secret: boolean }[];
  filters?: (
    | { type: 'equal' | 'in'; arguments: [{ jsonPath: string }, { value: string | string[] }] }
    | { type: 'changed'; arguments: [{ jsonPath: string }] }
  )[];
  customPayload?: { type: 'text/x-handlebars-template'; value: string } | null;
  delivery?: { mode: 'every' | 'latest'; debounceSeconds?: number; key?: string | null };
}

async function expectStatus(response: APIResponse, ...statuses: number[]): Promise<unknown> {
  if (!statuses.includes(response.status())) {
    throw new Error(`${response.url()} answered ${response.status()}: ${await response.text()}`);
  }
  return response.status() === 204 ? null : response.json();
}

export class HeraldApi {
  private constructor(
    private readonly request: APIRequestContext,
    readonly hubId: string,
  ) {}

  /** Signs in with client credentials and finds the default hub (the one the admin UI manages). */
  static async connect(
    newContext: (options: { baseURL: string; extraHTTPHeaders?: Record<string, string> }) => Promise<APIRequestContext>,
    baseURL: string,
    client: { id: string; secret: string },
  ): Promise<HeraldApi> {
    const anonymous = await newContext({ baseURL });
    const token = z.object({ access_token: z.string() }).parse(
      await expectStatus(
        await anonymous.post('/oauth/token', {
          form: { grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret },
        }),
        200,
      ),
    ).access_token;
    await anonymous.dispose();
    const request = await newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
    const hubs = z
      .object({ _embedded: z.object({ hubs: z.array(z.object({ id: z.string(), name: z.string() })) }) })
      .parse(await expectStatus(await request.get('/v2/content/hubs'), 200))._embedded.hubs;
    const hub = hubs.find((candidate) => candidate.name === 'default');
    if (!hub) throw new Error('Herald has no default hub');
    return new HeraldApi(request, hub.id);
  }

  private get webhooks(): string {
    return `/v2/content/hubs/${this.hubId}/webhooks`;
  }

  async createWebhook(input: WebhookInput): Promise<ApiWebhook> {
    return ZWebhook.parse(await expectStatus(await this.request.post(this.webhooks, { data: input }), 201));
  }

  async getWebhook(id: string): Promise<ApiWebhook> {
    return ZWebhook.parse(await expectStatus(await this.request.get(`${this.webhooks}/${id}`), 200));
  }

  /** Gone already (the test deleted it) counts as deleted. */
  async deleteWebhook(id: string): Promise<void> {
    await expectStatus(await this.request.delete(`${this.webhooks}/${id}`), 204, 404);
  }

  async emitEvent(name: string, payload: Record<string, unknown>): Promise<EmittedEvent> {
    return ZEmitted.parse(
      await expectStatus(
        await this.request.post(`/v2/content/hubs/${this.hubId}/events`, { data: { name, payload } }),
        202,
      ),
    );
  }

  async dispose(): Promise<void> {
    await this.request.dispose();
  }
}
