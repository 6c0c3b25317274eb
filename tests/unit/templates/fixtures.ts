import type { ContentCall } from '../../../lib/templates/content-calls';
import { closeRenderPool } from '../../../lib/templates/default-render-pool';
import { createRequestRenderer } from '../../../lib/templates/render-request';

/** `dynamic-content.content-item.updated`, the sample event of the seeds (fixtures/events/). */
export function contentItemUpdated(): Record<string, unknown> {
  return {
    sequenceId: 1,
    id: 'a03f2307-47f2-42b0-8542-1d10c9e55209',
    name: 'dynamic-content.content-item.updated',
    requestId: '8e580779-fc9c-480b-8db2-ffabe192e5a1',
    resource: '5cf679244cedfd000109d2ef',
    payload: {
      id: '02a6c85b-a27f-491a-9983-41b4f4638782',
      contentRepositoryId: '5cf6792e4cedfd0001885b67',
      folderId: null,
      body: {
        _meta: {
          name: 'Winter sale banner',
          schema: 'http://docexample.com/tutorialbanner.json',
          deliveryKey: 'test-delivery-key',
        },
        background: {
          _meta: { schema: 'http://bigcontent.io/cms/schema/v1/core#/definitions/image-link' },
          id: 'b54fff18-685d-4843-b765-c025dca05524',
          name: 'woman-hat-snow',
          endpoint: 'ampproduct',
          defaultHost: 'cdn.media.amplience.net',
        },
        headline: 'Winter sale now on!',
        strapline: 'Stay warm, stay stylish',
        calltoactiontext: 'Grab a bargain',
        calltoactionurl: 'https://www.example.com',
      },
      version: 4,
      label: 'Winter sale banner',
      status: 'ACTIVE',
      publishingStatus: 'UNPUBLISHED',
      repositoryLabel: 'Content',
      deliveryId: '02a6c85b-a27f-491a-9983-41b4f4638782',
      _links: {
        self: { href: 'https://api.amplience.net/v2/content/content-items/02a6c85b-a27f-491a-9983-41b4f4638782' },
      },
    },
  };
}

/** `dynamic-content.edition.unscheduled`, for the seeds' templated DELETE URL. */
export function editionUnscheduled(id = '5ddeb27d4cedfd0001c66dee'): Record<string, unknown> {
  return {
    sequenceId: 1,
    id: 'cd403c48-51d4-4183-8530-6967dd892104',
    name: 'dynamic-content.edition.unscheduled',
    requestId: '0ec0d59b-bfa1-4e9e-add4-28739c825e53',
    resource: '5cf679244cedfd000109d2ef',
    payload: { id, name: 'November Launch edition', publishingStatus: 'DRAFT' },
  };
}

export const HOOK_URL = 'https://example.com/hook';

/** Renders through the real render threads, with withDeliveryContentItem answered by `fetchContent`. */
export function rendererWith(fetchContent: (call: ContentCall) => Promise<unknown | null> = async () => null) {
  return createRequestRenderer({ fetchContent: (_hubId, call) => fetchContent(call) });
}

/** The rendered body of a custom payload over `envelope`, or throws with the render error. */
export async function renderPayload(
  template: string,
  envelope: Record<string, unknown> = contentItemUpdated(),
  render = rendererWith(),
): Promise<string> {
  const result = await render({ hubId: 'hub', urlTemplate: HOOK_URL, payloadTemplate: template, envelope });
  if (!result.ok) throw new Error(result.error);
  return result.body;
}

export { closeRenderPool };
