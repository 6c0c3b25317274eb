import { handleApiRequest } from '@/lib/api/router';

export const dynamic = 'force-dynamic';

export const POST = handleApiRequest;
