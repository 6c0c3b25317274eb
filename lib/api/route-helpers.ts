import type { TokenGrant } from '../auth/access-tokens';
import type { Scope } from '../auth/scopes';
import { MAX_API_BODY_BYTES, parseJsonBody } from './json-body';
import type { SecretVisibility } from './resources';
import type { RouteDoc, WireBody } from './route-doc';
import type { RequestContext, RouteOptions } from './route-types';
import { ZHealth, ZOpenApiDocument, ZTokenAnswer } from './wire-common';
import {
  ZAuditLogList,
  ZContentAnswer,
  ZEventAnswer,
  ZEventBatchAnswer,
  ZEventTypeList,
  ZHubList,
  ZHubResource,
  ZRecoverAnswer,
  ZRequestList,
  ZRequestResource,
  ZWebhookPage,
  ZWebhookResource,
} from './wire-resources';

/** What the routes share: their options, body and query readers, and the answers they document. */

/** A route that takes a JSON body of at most MAX_API_BODY_BYTES. */
export const withJsonBody = (scope: Scope, doc: RouteDoc): RouteOptions => ({
  scope,
  bodyLimitBytes: MAX_API_BODY_BYTES,
  doc,
});

export const jsonOf = (context: Pick<RequestContext, 'body'>) => parseJsonBody(context.body.toString('utf8'));

export const queryOf = (url: URL) => Object.fromEntries(url.searchParams);

/** Reads carry the signing secret only for a token that could change the webhook anyway. */
export const secretVisibility = (grant: TokenGrant): SecretVisibility =>
  grant.scopes.has('webhooks:write') ? 'with-secret' : 'without-secret';

/** The answers' bodies, by the name they have in the OpenAPI document's components. */
export const WIRE = {
  hubList: { name: 'HubList', schema: ZHubList, hal: true },
  hub: { name: 'Hub', schema: ZHubResource, hal: true },
  webhookPage: { name: 'WebhookPage', schema: ZWebhookPage, hal: true },
  webhook: { name: 'Webhook', schema: ZWebhookResource, hal: true },
  eventTypes: { name: 'EventTypeList', schema: ZEventTypeList, hal: true },
  requestList: { name: 'RequestList', schema: ZRequestList, hal: true },
  request: { name: 'Request', schema: ZRequestResource, hal: true },
  recover: { name: 'RecoverAnswer', schema: ZRecoverAnswer },
  event: { name: 'EventAnswer', schema: ZEventAnswer },
  eventBatch: { name: 'EventBatchAnswer', schema: ZEventBatchAnswer },
  auditLog: { name: 'AuditLogList', schema: ZAuditLogList, hal: true },
  content: { name: 'ContentAnswer', schema: ZContentAnswer },
  openApi: { name: 'OpenApiDocument', schema: ZOpenApiDocument },
  token: { name: 'TokenAnswer', schema: ZTokenAnswer },
  health: { name: 'Health', schema: ZHealth },
} as const satisfies Record<string, WireBody>;
