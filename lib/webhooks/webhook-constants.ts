/**
 * A webhook's fixed choices and limits, in a module without dependencies so the admin UI's
 * editor (a client component) imports the same values the server validates with.
 */
export const WEBHOOK_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type WebhookMethod = (typeof WEBHOOK_METHODS)[number];

export const CUSTOM_PAYLOAD_TYPE = 'text/x-handlebars-template';
