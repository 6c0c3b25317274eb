import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SetupForm } from '@/components/auth/setup-form';
import { Alert } from '@/components/ui/alert';
import { hasSetupCode } from '@/lib/auth/setup-code';
import { hasUsers, MIN_PASSWORD_LENGTH } from '@/lib/auth/users';

export const metadata: Metadata = { title: 'Set up' };
export const dynamic = 'force-dynamic';

export default async function SetupPage() {
  if (await hasUsers()) redirect('/login');
  const codeWaiting = await hasSetupCode();
  return (
    <>
      <h1 className="text-lg font-semibold">Welcome to Herald</h1>
      <p className="mt-1 text-sm text-zinc-600">
        Create the admin account. You will use it to sign in to this Herald; the password needs at least{' '}
        {MIN_PASSWORD_LENGTH} characters. The setup code proves you run this Herald: it is in the output of{' '}
        <code>npm start</code> (or <code>npm run web</code>).
      </p>
      {codeWaiting ? null : (
        <div className="mt-4">
          <Alert tone="warning" title="No setup code yet">
            Start Herald with <code>npm start</code> or <code>npm run web</code>: it prints a setup code while no admin
            exists. Each start prints a new one.
          </Alert>
        </div>
      )}
      <SetupForm minLength={MIN_PASSWORD_LENGTH} />
    </>
  );
}
