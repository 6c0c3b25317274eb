'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { adminAction } from '@/lib/actions/action';
import { ValidationError } from '@/lib/errors';
import { emitEvent } from '@/lib/events/emit-event';

export const emitEventAction = adminAction(
  'emitEventAction',
  z.object({ name: z.string().max(128), payload: z.string().max(1024 * 1024, 'the payload may be at most 1 MB') }),
  async ({ name, payload }, { hub }) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch (error) {
      throw ValidationError.single('payload', `not valid JSON: ${(error as Error).message}`);
    }
    const event = await emitEvent(hub.id, { name, payload: parsed as Record<string, unknown> });
    revalidatePath('/events');
    revalidatePath('/webhooks');
    return {
      sequenceId: event.sequenceId,
      queued: event.deliveries.filter((delivery) => delivery.status === 'QUEUED').length,
      filtered: event.deliveries.filter((delivery) => delivery.status === 'FILTERED').length,
    };
  },
);
