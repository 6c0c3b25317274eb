import { Badge } from '@/components/ui/badge';
import { DataTable } from '@/components/ui/data-table';
import { Time } from '@/components/ui/time';
import type { UserListItem } from '@/lib/auth/user-admin';
import { RoleSelect } from './role-select';
import { RemoveUserButton, RevokeSessionsButton } from './user-buttons';

export function UserList({ users, currentUserId }: { users: UserListItem[]; currentUserId: string }) {
  return (
    <DataTable
      caption="Users"
      minWidth="min-w-[760px]"
      columns={[
        { label: 'User' },
        { label: 'Role' },
        { label: 'Joined' },
        { label: 'Sessions' },
        { label: 'Actions', hidden: true },
      ]}
    >
      {users.map((user) => {
        const self = user.id === currentUserId;
        return (
          <tr key={user.id} data-testid={`user-${user.email}`}>
            <td className="px-4 py-3">
              <div className="font-medium text-zinc-900">
                {user.name ?? user.email}
                {self ? (
                  <span className="ml-2 align-middle">
                    <Badge tone="info">You</Badge>
                  </span>
                ) : null}
              </div>
              {user.name ? <div className="text-xs text-zinc-500">{user.email}</div> : null}
            </td>
            <td className="px-4 py-3">
              <RoleSelect userId={user.id} email={user.email} role={user.role} />
            </td>
            <td className="px-4 py-3">
              <Time date={user.createdDate} />
            </td>
            <td className="px-4 py-3 tabular-nums">{user.activeSessions}</td>
            <td className="px-4 py-3">
              <div className="flex justify-end gap-2">
                {user.activeSessions > 0 ? (
                  <RevokeSessionsButton userId={user.id} email={user.email} count={user.activeSessions} />
                ) : null}
                <RemoveUserButton userId={user.id} email={user.email} self={self} />
              </div>
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
