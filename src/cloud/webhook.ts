// Production webhooks (the impt Production Guide "Webhooks", the Connected Factory quick start, /manufacturing/webhooks): per device group, an event,
// a URL and how the payload is encoded (impt `--mime json|urlencoded`).

export const WEBHOOK_EVENTS = ["blessing", "blinkup", "deployment"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_MIMES = ["json", "urlencoded"] as const;
export type WebhookMime = (typeof WEBHOOK_MIMES)[number];

export interface Webhook {
  readonly id: string;
  readonly groupId: string;
  readonly event: WebhookEvent;
  readonly url: string;
  readonly mime: WebhookMime;
}

/** The request body and content type for a payload. */
export function webhookBody(
  mime: WebhookMime,
  payload: Readonly<Record<string, string | number | boolean>>,
): { body: string; contentType: string } {
  if (mime === "json") return { body: JSON.stringify(payload), contentType: "application/json" };
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(payload)) form.set(key, String(value));
  return { body: form.toString(), contentType: "application/x-www-form-urlencoded" };
}
