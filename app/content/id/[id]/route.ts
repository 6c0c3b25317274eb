import { handleApiRequest } from '@/lib/api/router';

// Herald's content delivery API (authenticated, per hub): see lib/api/content-delivery.ts.
export const dynamic = 'force-dynamic';

export const GET = handleApiRequest;
