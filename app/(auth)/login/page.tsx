import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { currentUser } from '@/lib/actions/session';
import { hasUsers } from '@/lib/auth/users';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function LoginPage() {
  if (await currentUser()) redirect('/webhooks');
  if (!(await hasUsers())) redirect('/setup');
  return (
    <>
      <h1 className="text-lg font-semibold">Sign in to Herald</h1>
      <p className="mt-1 text-sm text-zinc-600">Manage webhooks, deliveries and API clients.</p>
      <LoginForm />
    </>
  );
}
