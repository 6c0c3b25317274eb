'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { countRecoverable, recoverFailed } from '../activity-log/recover';
import { adminAction } from './action';

/** The recovery window as the dialog sends it; lib/activity-log/recover.ts checks the dates themselves. */
const ZRecoverInput = z.object({
  webhookId: z.string().trim().min(1).max(64),
  since: z.string().max(64),
  until: z.string().max(64).optional(),
});

/** How many FAILED deliveries the window holds, shown before the user confirms. */
export const countRecoverableAction = adminAction(
  'countRecoverableAction',
  ZRecoverInput,
  async ({ webhookId, since, until }, { hub }) => ({
    count: await countRecoverable(hub.id, webhookId, { since, until }),
  }),
  { permission: 'read' },
);

export const recoverFailedAction = adminAction(
  'recoverFailedAction',
  ZRecoverInput,
  async ({ webhookId, since, until }, { hub, audit }) => {
    const count = await recoverFailed(hub.id, webhookId, { since, until }, audit);
    revalidatePath('/hubs/[hubId]/webhooks/[webhookId]', 'layout');
    return { count };
  },
  { permission: 'deliveries:redeliver' },
);
