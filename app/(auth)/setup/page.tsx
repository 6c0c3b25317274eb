import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SetupForm } from '@/components/auth/setup-form';
import { hasUsers, MIN_PASSWORD_LENGTH } from '@/lib/auth/users';

export const metadata: Metadata = { title: 'Set up' };
export const dynamic = 'force-dynamic';

export default async function SetupPage() {
  if (await hasUsers()) redirect('/login');
  return (
    <>
      <h1 className="text-lg font-semibold">Welcome to Herald</h1>
      <p className="mt-1 text-sm text-zinc-600">
        Create the admin account. You will use it to sign in to this Herald; the password needs at least{' '}
        {MIN_PASSWORD_LENGTH} characters.
      </p>
      <SetupForm minLength={MIN_PASSWORD_LENGTH} />
    </>
  );
}
