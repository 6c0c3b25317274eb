import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '../../lib/config/env';
import { prisma } from '../../lib/db/client';
import { createHub } from '../../lib/hubs/hubs';
import { createWebhook, WebhookLimitReachedError } from '../../lib/webhooks/create-webhook';
import { apiToken } from '../support/api-token';
import { startApiServer } from '../support/herald';

/** HERALD_MAX_WEBHOOKS_PER_HUB: a hub holds at most that many webhooks, however many creates race. */

const LIMIT = 5;
let api: { url: string; close(): Promise<void> };
let token: string;

const body = (label: string) => ({
  label,
  events: ['dynamic-content.content-item.updated'],
  handlers: ['https://example.com/hook'],
});

async function create(hubId: string, label: string) {
  const response = await fetch(`${api.url}/v2/content/hubs/${hubId}/webhooks`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body(label)),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  process.env.HERALD_MAX_WEBHOOKS_PER_HUB = String(LIMIT);
  resetEnvCache();
  api = await startApiServer();
  token = await apiToken(api.url, 'webhook limit test');
});

afterAll(async () => {
  delete process.env.HERALD_MAX_WEBHOOKS_PER_HUB;
  resetEnvCache();
  await api.close();
});

describe('the webhook limit per hub', () => {
  it('refuses creates past the limit with 409 WEBHOOK_LIMIT_REACHED naming it, even when 12 race', async () => {
    const hub = await createHub('limit-race', 'Limit race');
    const answers = await Promise.all(Array.from({ length: 12 }, (_, index) => create(hub.id, `Racer ${index}`)));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(LIMIT);
    const refused = answers.filter((answer) => answer.status !== 201);
    expect(refused).toHaveLength(12 - LIMIT);
    for (const answer of refused) {
      expect(answer).toEqual({
        status: 409,
        body: {
          errors: [
            {
              level: 'ERROR',
              code: 'WEBHOOK_LIMIT_REACHED',
              message: `This hub already has ${LIMIT} webhooks, the most it may hold (HERALD_MAX_WEBHOOKS_PER_HUB); delete one first`,
            },
          ],
        },
      });
    }
    expect(await prisma().webhook.count({ where: { hubId: hub.id } })).toBe(LIMIT);
  });

  it('counts per hub, and frees a place when a webhook is deleted', async () => {
    const full = await createHub('limit-full', 'Full');
    const other = await createHub('limit-other', 'Other');
    const ids: string[] = [];
    for (let index = 0; index < LIMIT; index++) ids.push((await createWebhook(full.id, body(`W${index}`))).id);
    await expect(createWebhook(full.id, body('one too many'))).rejects.toBeInstanceOf(WebhookLimitReachedError);
    expect((await create(other.id, 'elsewhere')).status).toBe(201);
    await prisma().webhook.delete({ where: { id: ids[0] } });
    expect((await create(full.id, 'in the freed place')).status).toBe(201);
  });
});
