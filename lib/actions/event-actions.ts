'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { errorMessage, ValidationError } from '../errors';
import { emitEventFromAdmin } from '../events/emit-from-admin';
import { adminAction } from './action';

export const emitEventAction = adminAction(
  'emitEventAction',
  z.object({ name: z.string().max(128), payload: z.string().max(1024 * 1024, 'the payload may be at most 1 MB') }),
  async ({ name, payload }, { hub, audit }) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch (error) {
      throw ValidationError.single('payload', `not valid JSON: ${errorMessage(error)}`);
    }
    const event = await emitEventFromAdmin(hub.id, { name, payload: parsed }, audit);
    revalidatePath('/hubs/[hubId]/events', 'page');
    revalidatePath('/hubs/[hubId]/webhooks', 'page');
    return {
      sequenceId: event.sequenceId,
      queued: event.deliveries.filter((delivery) => delivery.status === 'QUEUED').length,
      filtered: event.deliveries.filter((delivery) => delivery.status === 'FILTERED').length,
    };
  },
  { permission: 'events:send' },
);
