'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Select } from '@/components/ui/field';
import { useToast } from '@/components/ui/toast';
import { changeUserRoleAction } from '@/lib/actions/user-actions';
import { ROLES, type Role } from '@/lib/auth/roles';

/**
 * Changes a user's role as soon as another is picked; making someone an Owner (who can then remove
 * every other user) asks first. A refusal (the last Owner) puts the select back.
 */
export function RoleSelect({ userId, email, role }: { userId: string; email: string; role: Role }) {
  const toast = useToast();
  const [value, setValue] = useState<Role>(role);
  const [asking, setAsking] = useState(false);
  const [pending, startTransition] = useTransition();
  const change = (next: Role) => {
    setValue(next);
    startTransition(async () => {
      const result = await changeUserRoleAction({ userId, role: next });
      if (result.ok) toast(`${email} is now ${next}`);
      else {
        setValue(role);
        toast(result.message, 'error');
      }
    });
  };
  return (
    <>
      <Select
        aria-label={`Role of ${email}`}
        className="w-32"
        value={value}
        disabled={pending}
        onChange={(event) => {
          const next = event.target.value as Role;
          if (next === 'Owner' && value !== 'Owner') setAsking(true);
          else change(next);
        }}
      >
        {ROLES.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </Select>
      <Dialog
        open={asking}
        onClose={() => setAsking(false)}
        title={`Make ${email} an Owner?`}
        footer={
          <>
            <Button onClick={() => setAsking(false)}>Cancel</Button>
            <Button
              variant="primary"
              onClick={() => {
                setAsking(false);
                change('Owner');
              }}
            >
              Make Owner
            </Button>
          </>
        }
      >
        <p className="text-sm text-zinc-700">
          Owners can do everything, including inviting and removing users (you too) and changing anyone&apos;s role.
        </p>
      </Dialog>
    </>
  );
}
