'use client';

import { useState, useTransition } from 'react';
import { Select } from '@/components/ui/field';
import { useToast } from '@/components/ui/toast';
import { changeUserRoleAction } from '@/lib/actions/user-actions';
import { ROLES, type Role } from '@/lib/auth/roles';

/** Changes a user's role as soon as another is picked; a refusal (the last Owner) puts it back. */
export function RoleSelect({ userId, email, role }: { userId: string; email: string; role: Role }) {
  const toast = useToast();
  const [value, setValue] = useState<Role>(role);
  const [pending, startTransition] = useTransition();
  return (
    <Select
      aria-label={`Role of ${email}`}
      className="w-32"
      value={value}
      disabled={pending}
      onChange={(event) => {
        const next = event.target.value as Role;
        setValue(next);
        startTransition(async () => {
          const result = await changeUserRoleAction({ userId, role: next });
          if (result.ok) toast(`${email} is now ${next}`);
          else {
            setValue(role);
            toast(result.message, 'error');
          }
        });
      }}
    >
      {ROLES.map((option) => (
        <option key={option} value={option}>
          {option}
        </option>
      ))}
    </Select>
  );
}
