import { Badge } from '@/components/ui/badge';

/** Whether Herald may mail a notification address yet: confirmed through its link, or a user's. */
export function AddressStatus({ confirmed }: { confirmed: boolean }) {
  return confirmed ? (
    <Badge tone="success">Confirmed</Badge>
  ) : (
    <Badge tone="warning" title="Herald mailed a confirmation link; no failure email goes out until it is opened">
      Awaiting confirmation
    </Badge>
  );
}
