import { handleApiRequest } from '@/lib/api/router';

// The Management API and event ingestion; routing and everything else live in lib/api.
export const dynamic = 'force-dynamic';

export const GET = handleApiRequest;
export const POST = handleApiRequest;
export const PATCH = handleApiRequest;
export const DELETE = handleApiRequest;
export const PUT = handleApiRequest;
