import { metricsResponse } from '@/lib/metrics/metrics-endpoint';

export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return metricsResponse(request.headers.get('authorization'));
}
