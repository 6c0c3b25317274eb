import { databaseHealth } from '@/lib/db/health';
import { HERALD_VERSION } from '@/lib/version';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const database = await databaseHealth();
  return Response.json(
    {
      status: database.ok ? 'ok' : 'unavailable',
      version: HERALD_VERSION,
      database: database.ok ? 'ok' : 'unreachable',
    },
    { status: database.ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  );
}
