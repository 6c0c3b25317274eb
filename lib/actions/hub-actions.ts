'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { hubNameFromLabel } from '../hubs/hub-names';
import { createHub, renameHub, ZHubLabel } from '../hubs/hubs';
import { adminAction } from './action';

export const createHubAction = adminAction(
  'createHubAction',
  z.object({
    label: ZHubLabel,
    /** The API name; derived from the label when left empty. */
    name: z.string().trim().max(128, 'name may be at most 128 characters').default(''),
  }),
  async ({ label, name }, { audit }) => {
    const hub = await createHub(name || hubNameFromLabel(label), label, audit);
    // The header lists every hub.
    revalidatePath('/', 'layout');
    return { id: hub.id, name: hub.name, label: hub.label };
  },
  { permission: 'hubs:manage', global: true },
);

export const renameHubAction = adminAction(
  'renameHubAction',
  z.object({ label: z.string().max(1024) }),
  async ({ label }, { hub, audit }) => {
    const renamed = await renameHub(hub.id, label, audit);
    revalidatePath('/', 'layout');
    return { id: renamed.id, label: renamed.label };
  },
  { permission: 'hubs:manage' },
);
