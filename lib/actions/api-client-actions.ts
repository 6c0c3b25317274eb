'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createApiClient, revokeApiClient, ZApiClientName } from '../auth/api-clients';
import { SCOPES } from '../auth/scopes';
import { adminAction } from './action';

// API clients belong to the installation, not to one hub: their page is the same in every hub.
const SETTINGS_PAGE = '/hubs/[hubId]/settings';

export const createApiClientAction = adminAction(
  'createApiClientAction',
  z.object({
    name: ZApiClientName,
    scopes: z
      .array(z.enum(SCOPES))
      .max(SCOPES.length)
      .default([...SCOPES]),
    /** Null: every hub. Each id is checked to exist by createApiClient. */
    hubIds: z.array(z.string().max(24)).max(100).nullable().default(null),
  }),
  async ({ name, scopes, hubIds }, { audit }) => {
    const client = await createApiClient(name, { scopes, hubIds, context: audit });
    revalidatePath(SETTINGS_PAGE, 'page');
    // The secret is shown once, in the response to this action; only its hash is stored.
    return { id: client.id, name: client.name, secret: client.secret, scopes: client.scopes };
  },
  { permission: 'api-clients:manage', global: true },
);

export const revokeApiClientAction = adminAction(
  'revokeApiClientAction',
  z.object({ id: z.string().min(1).max(64) }),
  async ({ id }, { audit }) => {
    await revokeApiClient(id, audit);
    revalidatePath(SETTINGS_PAGE, 'page');
    return null;
  },
  { permission: 'api-clients:manage', global: true },
);
