'use client';

import { useEffect } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button, ButtonLink } from '@/components/ui/button';

export default function AdminError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const notFound = /not found/i.test(error.message);
  return (
    <div className="py-10">
      <Alert
        tone="danger"
        role="alert"
        title={notFound ? 'This page does not exist (any more)' : 'Something went wrong'}
        actions={
          <>
            <Button onClick={reset}>Try again</Button>
            <ButtonLink href="/webhooks">Back to webhooks</ButtonLink>
          </>
        }
      >
        {notFound
          ? 'It may have been deleted.'
          : 'Herald could not load this page. Check that the database is reachable; the server log has the details.'}
        {error.digest ? <span className="mt-1 block font-mono text-xs">Reference: {error.digest}</span> : null}
      </Alert>
    </div>
  );
}
