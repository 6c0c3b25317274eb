import { Alert } from '@/components/ui/alert';
import type { PrivateDestinationPolicy } from '@/lib/config/env';

/**
 * Says so when this server lets webhooks reach its own network: whoever can edit a webhook can
 * then call services on this machine (or the private network) and read their answers in the log.
 */
export function DestinationPolicyNote({ policy }: { policy: PrivateDestinationPolicy }) {
  if (policy === 'none') return null;
  return (
    <div className="mb-6">
      <Alert
        tone="info"
        title={policy === 'loopback' ? 'Loopback destinations are allowed' : 'Private destinations are allowed'}
      >
        {policy === 'loopback'
          ? 'This server delivers to addresses on this machine (127.0.0.0/8, ::1), as a local install needs to.'
          : 'This server delivers to private, loopback and link-local addresses.'}{' '}
        Webhooks can reach services there and their answers show in the activity log. Set
        HERALD_ALLOW_PRIVATE_DESTINATIONS=false to refuse them.
      </Alert>
    </div>
  );
}
