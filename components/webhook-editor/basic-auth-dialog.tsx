'use client';

import { type KeyboardEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input } from '@/components/ui/field';

/** Takes a user and password and adds `Authorization: Basic base64(user:password)` as a secret header. */
export function BasicAuthDialog({
  open,
  onClose,
  onSave,
}: {
  open: boolean;
  onClose: () => void;
  onSave: (user: string, password: string) => void;
}) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const confirmOnEnter = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    onSave(user, password);
    setUser('');
    setPassword('');
  };
  const close = () => {
    setUser('');
    setPassword('');
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title="Add basic auth header"
      description="Herald encodes the user and password and stores them as a secret Authorization header. Either may be blank."
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button
            variant="primary"
            onClick={() => {
              onSave(user, password);
              setUser('');
              setPassword('');
            }}
          >
            OK
          </Button>
        </>
      }
    >
      {/* Not a <form>: the dialog sits inside the editor's form. Enter confirms. */}
      <div className="space-y-4">
        <Field id="basic-auth-user" label="User">
          <Input
            id="basic-auth-user"
            value={user}
            onChange={(event) => setUser(event.target.value)}
            autoComplete="off"
          />
        </Field>
        <Field id="basic-auth-password" label="Password">
          <Input
            id="basic-auth-password"
            type="password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            onKeyDown={confirmOnEnter}
            autoComplete="new-password"
          />
        </Field>
      </div>
    </Dialog>
  );
}
