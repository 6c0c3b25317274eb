import { Badge } from '@/components/ui/badge';
import { DataTable } from '@/components/ui/data-table';
import { STACKED } from '@/components/ui/stacked-table';
import { Time } from '@/components/ui/time';
import type { UserListItem } from '@/lib/auth/user-admin';
import { RoleSelect } from './role-select';
import { RemoveUserButton, RevokeSessionsButton } from './user-buttons';

export function UserList({ users, currentUserId }: { users: UserListItem[]; currentUserId: string }) {
  return (
    <DataTable
      caption="Users"
      minWidth="md:min-w-[760px]"
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
          <tr key={user.id} className={STACKED.row} data-testid={`user-${user.email}`}>
            <td className={STACKED.bare}>
              <div className="font-medium [overflow-wrap:anywhere] text-zinc-900">
                {user.name ?? user.email}
                {self ? (
                  <span className="ml-2 align-middle">
                    <Badge tone="info">You</Badge>
                  </span>
                ) : null}
              </div>
              {user.name ? <div className="text-xs [overflow-wrap:anywhere] text-zinc-500">{user.email}</div> : null}
            </td>
            <td className={`${STACKED.cell} max-md:items-center`} data-label="Role">
              <RoleSelect userId={user.id} email={user.email} role={user.role} />
            </td>
            <td className={STACKED.cell} data-label="Joined">
              <Time date={user.createdDate} />
            </td>
            <td className={`${STACKED.cell} tabular-nums`} data-label="Sessions">
              {user.activeSessions}
            </td>
            <td className={`${STACKED.bare} max-md:pt-2`}>
              <div className="flex flex-wrap justify-end gap-2 max-md:justify-start">
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
