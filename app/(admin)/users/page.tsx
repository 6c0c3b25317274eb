import type { Metadata } from 'next';
import { RoleRefusal } from '@/components/layout/role-refusal';
import { PageHeader } from '@/components/ui/page-header';
import { InviteForm } from '@/components/users/invite-form';
import { PendingInvites } from '@/components/users/pending-invites';
import { UserList } from '@/components/users/user-list';
import { requireUser } from '@/lib/actions/session';
import { listPendingInvites } from '@/lib/auth/invites';
import { can } from '@/lib/auth/roles';
import { listUsers } from '@/lib/auth/user-admin';

export const metadata: Metadata = { title: 'Users' };
export const dynamic = 'force-dynamic';

/** Owners only: everyone who can sign in to this Herald, across all hubs. */
export default async function UsersPage() {
  const user = await requireUser();
  if (!can(user.role, 'users:manage')) return <RoleRefusal role={user.role} permission="users:manage" backHref="/" />;
  const [users, invites] = await Promise.all([listUsers(), listPendingInvites()]);
  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who can sign in, in every hub. Owners manage users; Admins manage webhooks, API clients and hubs; Editors manage webhooks and deliveries; Viewers only read and never see secrets."
      />
      <div className="space-y-6">
        <InviteForm pendingEmails={invites.map((invite) => invite.email.toLowerCase())} />
        <PendingInvites invites={invites} />
        <UserList users={users} currentUserId={user.id} />
      </div>
    </>
  );
}
