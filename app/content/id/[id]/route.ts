import { handleContentDeliveryRequest } from '@/lib/content/delivery-api-route';

// Herald's content delivery API for withDeliveryContentItem (see lib/content/delivery-api-route.ts).
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  return handleContentDeliveryRequest(request, id);
}
