'use client';

import { useEffect, useState } from 'react';
import { useCurrentHubId } from '@/components/layout/use-hub';
import { Alert } from '@/components/ui/alert';
import { Button, ButtonLink } from '@/components/ui/button';
import { hubPath } from '@/lib/hubs/hub-paths';

/**
 * What is known about the cause: the error itself is hidden from the browser in production, so the
 * health check (`/healthz`, which tries the database) tells a database outage from anything else.
 * The database is blamed only when the health check says it is unreachable.
 */
type Cause = 'checking' | 'database' | 'server-down' | 'other';

async function probeCause(): Promise<Cause> {
  try {
    const response = await fetch('/healthz', { cache: 'no-store' });
    const body: unknown = await response.json().catch(() => null);
    const database = body && typeof body === 'object' && 'database' in body ? body.database : null;
    return database === 'unreachable' ? 'database' : 'other';
  } catch {
    return 'server-down';
  }
}

const EXPLANATIONS: Record<Exclude<Cause, 'checking'>, string> = {
  database: 'Herald cannot reach its database right now. Try again in a moment; the server log has the details.',
  'server-down': 'Herald is not answering. Check that it is running, then try again.',
  other:
    'Herald could not load this page or finish what you asked. Try again; if it keeps happening, the server log has the details.',
};

export default function AdminError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const hubId = useCurrentHubId();
  const [cause, setCause] = useState<Cause>('checking');
  useEffect(() => {
    console.error(error);
    let current = true;
    void probeCause().then((found) => {
      if (current) setCause(found);
    });
    return () => {
      current = false;
    };
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
            <ButtonLink href={hubId ? hubPath(hubId, '/webhooks') : '/'}>Back to webhooks</ButtonLink>
          </>
        }
      >
        <span data-testid="error-explanation">
          {notFound ? 'It may have been deleted.' : cause === 'checking' ? 'Finding out why…' : EXPLANATIONS[cause]}
        </span>
        {error.digest ? <span className="mt-1 block font-mono text-xs">Reference: {error.digest}</span> : null}
      </Alert>
    </div>
  );
}
