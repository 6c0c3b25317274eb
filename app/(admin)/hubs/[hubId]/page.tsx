import { redirect } from 'next/navigation';
import { hubPath } from '@/lib/hubs/hub-paths';

export const dynamic = 'force-dynamic';

export default async function HubHome({ params }: { params: Promise<{ hubId: string }> }) {
  redirect(hubPath((await params).hubId, '/webhooks'));
}
