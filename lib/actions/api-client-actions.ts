'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createApiClient, revokeApiClient } from '../auth/api-clients';
import { adminAction } from './action';

export const createApiClientAction = adminAction(
  'createApiClientAction',
  z.object({ name: z.string().trim().min(1, 'name is required').max(128, 'name may be at most 128 characters') }),
  async ({ name }) => {
    const client = await createApiClient(name);
    revalidatePath('/settings');
    // The secret is shown once, in the response to this action; only its hash is stored.
    return { id: client.id, name: client.name, secret: client.secret };
  },
  { permission: 'api-clients:manage' },
);

export const revokeApiClientAction = adminAction(
  'revokeApiClientAction',
  z.object({ id: z.string().min(1).max(64) }),
  async ({ id }) => {
    await revokeApiClient(id);
    revalidatePath('/settings');
    return null;
  },
  { permission: 'api-clients:manage' },
);
