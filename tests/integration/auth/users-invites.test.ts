import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditContext } from '../../../lib/audit/types';
import { acceptInvite, createInvite, INVITE_TTL_MS, listPendingInvites, lookupInvite } from '../../../lib/auth/invites';
import { sessionUser } from '../../../lib/auth/sessions';
import {
  changeUserRole,
  LastOwnerError,
  listUsers,
  removeUser,
  revokeUserSessions,
} from '../../../lib/auth/user-admin';
import { verifyCredentials } from '../../../lib/auth/users';
import { prisma } from '../../../lib/db/client';
import { type TestUser, userWithRole } from '../../support/action-request';

const PASSWORD = 'a long enough password';
let owner: TestUser;
let asOwner: AuditContext;

beforeAll(async () => {
  owner = await userWithRole('Owner', 'owner@example.com');
  asOwner = { actor: { type: 'user', id: owner.id, label: owner.email }, sourceIp: '198.51.100.4' };
});

const entries = (action: string) => prisma().auditEntry.findMany({ where: { action }, orderBy: { id: 'asc' } });

describe('invitations', () => {
  it('stores only the token hash, and the link makes a user with the role, a name and the password', async () => {
    const { token, invite } = await createInvite({ email: 'New.Editor@Example.com', role: 'Editor' }, asOwner);
    expect(invite).toMatchObject({ email: 'new.editor@example.com', role: 'Editor', invitedBy: owner.email });
    expect(invite.expiresAt.getTime() - Date.now()).toBeGreaterThan(INVITE_TTL_MS - 60_000);
    const stored = await prisma().invite.findUniqueOrThrow({ where: { id: invite.id } });
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(await lookupInvite(token)).toEqual({ ok: true, email: 'new.editor@example.com', role: 'Editor' });

    const user = await acceptInvite(token, { name: 'Ed Itor', password: PASSWORD }, '192.0.2.9');
    expect(user).toMatchObject({ email: 'new.editor@example.com', name: 'Ed Itor', role: 'Editor' });
    expect(await verifyCredentials({ email: 'new.editor@example.com', password: PASSWORD })).toMatchObject({
      id: user.id,
    });
    expect(await entries('user.invited')).toEqual([
      expect.objectContaining({
        actorId: owner.id,
        actorLabel: owner.email,
        sourceIp: '198.51.100.4',
        targetLabel: 'new.editor@example.com',
        changes: { role: { from: null, to: 'Editor' } },
      }),
    ]);
    expect(await entries('user.joined')).toEqual([
      expect.objectContaining({
        actorId: user.id,
        sourceIp: '192.0.2.9',
        changes: { role: { from: null, to: 'Editor' } },
      }),
    ]);
  });

  it('works once: a second use, even at the same moment, is refused', async () => {
    const { token } = await createInvite({ email: 'once@example.com', role: 'Viewer' }, asOwner);
    const results = await Promise.allSettled([
      acceptInvite(token, { name: 'A', password: PASSWORD }, null),
      acceptInvite(token, { name: 'B', password: PASSWORD }, null),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(await prisma().user.count({ where: { email: 'once@example.com' } })).toBe(1);
    await expect(acceptInvite(token, { name: 'C', password: PASSWORD }, null)).rejects.toThrow(/already been used/);
    expect(await lookupInvite(token)).toMatchObject({ ok: false, message: expect.stringMatching(/already been used/) });
  });

  it('expires after 7 days', async () => {
    const { token } = await createInvite({ email: 'late@example.com', role: 'Viewer' }, asOwner);
    const eightDaysOn = new Date(Date.now() + 8 * 86_400_000);
    expect(await lookupInvite(token, eightDaysOn)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/expired/),
    });
    await expect(acceptInvite(token, { name: 'Late', password: PASSWORD }, null, eightDaysOn)).rejects.toThrow(
      /expired/,
    );
    expect(await prisma().user.count({ where: { email: 'late@example.com' } })).toBe(0);
    expect((await listPendingInvites(eightDaysOn)).some((invite) => invite.email === 'late@example.com')).toBe(false);
  });

  it('refuses unknown tokens, replaced invitations and emails that already have an account', async () => {
    expect(await lookupInvite('not-a-token')).toMatchObject({ ok: false });
    const first = await createInvite({ email: 'twice@example.com', role: 'Viewer' }, asOwner);
    const second = await createInvite({ email: 'twice@example.com', role: 'Admin' }, asOwner);
    expect(await lookupInvite(first.token)).toMatchObject({ ok: false });
    expect(await lookupInvite(second.token)).toMatchObject({ ok: true, role: 'Admin' });
    await expect(createInvite({ email: owner.email, role: 'Viewer' }, asOwner)).rejects.toThrow(
      /already has an account/,
    );
  });
});

describe('the last Owner', () => {
  it('cannot be demoted or removed; another Owner can be', async () => {
    expect(await prisma().user.count({ where: { role: 'Owner' } })).toBe(1);
    await expect(changeUserRole(owner.id, 'Admin', asOwner)).rejects.toBeInstanceOf(LastOwnerError);
    await expect(removeUser(owner.id, asOwner)).rejects.toBeInstanceOf(LastOwnerError);
    const second = await userWithRole('Owner', 'second-owner@example.com');
    await changeUserRole(second.id, 'Viewer', asOwner);
    expect((await listUsers()).find((user) => user.id === second.id)).toMatchObject({ role: 'Viewer' });
    expect(await entries('user.role-changed')).toContainEqual(
      expect.objectContaining({ targetId: second.id, changes: { role: { from: 'Owner', to: 'Viewer' } } }),
    );
  });

  it('survives two Owners demoting each other at the same moment: exactly one change goes through', async () => {
    const a = await userWithRole('Owner', 'race-a@example.com');
    const b = await userWithRole('Owner', 'race-b@example.com');
    // Only a and b are Owners for this race.
    await prisma().user.update({ where: { id: owner.id }, data: { role: 'Admin' } });
    try {
      const context = (user: TestUser): AuditContext => ({
        actor: { type: 'user', id: user.id, label: user.email },
        sourceIp: null,
      });
      const results = await Promise.allSettled([
        changeUserRole(a.id, 'Editor', context(b)),
        removeUser(b.id, context(a)),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((result) => result.status === 'rejected');
      expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(LastOwnerError);
      expect(await prisma().user.count({ where: { role: 'Owner' } })).toBe(1);
    } finally {
      await prisma().user.update({ where: { id: owner.id }, data: { role: 'Owner' } });
    }
  });
});

describe('sessions and removal', () => {
  it('revoking sessions signs the user out everywhere; removing a user ends theirs too', async () => {
    const viewer = await userWithRole('Viewer', 'signed-in-viewer@example.com');
    expect(await sessionUser(viewer.token)).toMatchObject({ id: viewer.id, role: 'Viewer' });
    expect(await revokeUserSessions(viewer.id, asOwner)).toBe(1);
    expect(await sessionUser(viewer.token)).toBeNull();

    const leaving = await userWithRole('Editor', 'leaving@example.com');
    await removeUser(leaving.id, asOwner);
    expect(await sessionUser(leaving.token)).toBeNull();
    expect(await entries('user.removed')).toContainEqual(
      expect.objectContaining({ targetLabel: 'leaving@example.com', actorId: owner.id }),
    );
  });
});
