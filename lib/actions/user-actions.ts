'use server';

import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { z } from 'zod';
import { sendInviteEmail } from '../auth/invite-email';
import { createInvite, revokeInvite } from '../auth/invites';
import { ROLES } from '../auth/roles';
import { changeUserRole, removeUser, revokeUserSessions } from '../auth/user-admin';
import { env } from '../config/env';
import { adminAction } from './action';

const ZUserId = z.string().uuid('not a user id');

/** Where invitees open their link: HERALD_PUBLIC_URL, else the address the Owner is using. */
async function publicOrigin(): Promise<string> {
  const configured = env().HERALD_PUBLIC_URL;
  if (configured) return configured.replace(/\/+$/, '');
  const list = await headers();
  const origin = list.get('origin');
  if (origin && URL.canParse(origin)) return new URL(origin).origin;
  return `${env().HERALD_SECURE_COOKIES ? 'https' : 'http'}://${list.get('host') ?? 'localhost'}`;
}

export const inviteUserAction = adminAction(
  'inviteUserAction',
  z.object({ email: z.string().max(320), role: z.enum(ROLES) }),
  async (input, { user, audit }) => {
    const { invite, token } = await createInvite(input, audit);
    const link = `${await publicOrigin()}/invite/${token}`;
    const email = await sendInviteEmail(invite, link, user.name ?? user.email);
    revalidatePath('/users');
    // The link is shown once, here; only its hash is stored.
    return { link, email, expiresAt: invite.expiresAt.toISOString(), role: invite.role, to: invite.email };
  },
  { permission: 'users:manage', global: true },
);

export const revokeInviteAction = adminAction(
  'revokeInviteAction',
  z.object({ id: z.string().uuid() }),
  async ({ id }, { audit }) => {
    await revokeInvite(id, audit);
    revalidatePath('/users');
    return null;
  },
  { permission: 'users:manage', global: true },
);

export const changeUserRoleAction = adminAction(
  'changeUserRoleAction',
  z.object({ userId: ZUserId, role: z.enum(ROLES) }),
  async ({ userId, role }, { audit }) => {
    await changeUserRole(userId, role, audit);
    revalidatePath('/users');
    return { role };
  },
  { permission: 'users:manage', global: true },
);

export const removeUserAction = adminAction(
  'removeUserAction',
  z.object({ userId: ZUserId }),
  async ({ userId }, { audit }) => {
    await removeUser(userId, audit);
    revalidatePath('/users');
    return null;
  },
  { permission: 'users:manage', global: true },
);

export const revokeUserSessionsAction = adminAction(
  'revokeUserSessionsAction',
  z.object({ userId: ZUserId }),
  async ({ userId }, { audit }) => {
    const count = await revokeUserSessions(userId, audit);
    revalidatePath('/users');
    return { count };
  },
  { permission: 'users:manage', global: true },
);
