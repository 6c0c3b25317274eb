import type { Metadata } from 'next';
import { ConfirmAddressForm } from '@/components/notifications/confirm-address-form';
import { Alert } from '@/components/ui/alert';
import { lookupConfirmation } from '@/lib/notifications/addresses';

export const metadata: Metadata = { title: 'Confirm notifications', referrer: 'no-referrer' };
export const dynamic = 'force-dynamic';

/**
 * Where a confirmation link leads, without a login. Opening it changes nothing (mail scanners
 * open links too); its button confirms the address.
 */
export default async function ConfirmEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const lookup = await lookupConfirmation(token);
  return (
    <>
      <h1 className="text-lg font-semibold">Confirm notifications</h1>
      {lookup.ok ? (
        <ConfirmAddressForm token={token} email={lookup.email} />
      ) : (
        <div className="mt-4">
          <Alert tone="warning">{lookup.message}</Alert>
        </div>
      )}
    </>
  );
}
