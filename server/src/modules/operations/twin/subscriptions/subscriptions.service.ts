/**
 * Use cases of NGSI-LD subscriptions (§5.8): create, update (the members sent replace those stored;
 * isActive pauses), delete, retrieve and list. Every change is audited in its transaction.
 */
import { appendAudit } from "../../../../kernel/audit/audit";
import type { Ctx } from "../../../../kernel/http/context";
import { AppError } from "../../../../kernel/http/errors";
import type { ActiveContext } from "../context";
import { bad, checkEntityId } from "../entity";
import { NgsiErrors } from "../errors";
import { applySubscriptionMembers, maskEndpoint, type SubscriptionDraft } from "./subscription";
import {
  checkIdPatterns,
  deleteSubscriptionRow,
  findSubscription,
  insertSubscription,
  listSubscriptions,
  type StoredSubscription,
  saveSubscription,
} from "./subscriptions.queries";

export const SUBSCRIPTION_AUDIT = {
  created: "operations.subscription.created",
  updated: "operations.subscription.updated",
  deleted: "operations.subscription.deleted",
} as const;

function notFound(id: string): AppError {
  return new AppError(NgsiErrors.NGSI_RESOURCE_NOT_FOUND, { message: `No subscription ${id}` });
}

const idPatternsOf = (draft: SubscriptionDraft) =>
  draft.definition.entities?.flatMap((s) => (s.idPattern ? [s.idPattern] : [])) ?? [];

/** What an audit record keeps of a subscription: its shape, not where its data goes in full. */
function auditDetails(draft: SubscriptionDraft): Record<string, unknown> {
  const d = draft.definition;
  return {
    entityTypes: [...new Set(d.entities?.map((s) => s.type) ?? [])].slice(0, 20),
    watchedAttributes: d.watchedAttributes?.slice(0, 20) ?? null,
    q: d.q ?? null,
    geoQ: d.geoQ ? d.geoQ.georel : null,
    endpoint: maskEndpoint(d.notification.endpoint.uri),
    format: d.notification.format,
    isActive: draft.isActive,
    expiresAt: draft.expiresAt,
    throttling: draft.throttling,
  };
}

/**
 * Creates a subscription under `id` (the payload's, else one the route chose); the context it was
 * made with is kept to read its `q` and compact its notifications.
 */
export async function createSubscription(
  ctx: Ctx,
  context: ActiveContext,
  body: unknown,
  id: unknown,
): Promise<string> {
  const subscriptionId = checkEntityId(id, "id");
  const now = ctx.clock.now();
  const draft = applySubscriptionMembers(context, body, null, now);
  await checkIdPatterns(ctx.tx, idPatternsOf(draft));
  const at = now.toISOString();
  const stored: StoredSubscription = {
    ...draft,
    id: subscriptionId,
    ownerId: ctx.actor?.id ?? null,
    context: context.source ?? null,
    timesSent: 0,
    timesFailed: 0,
    lastNotification: null,
    lastSuccess: null,
    lastFailure: null,
    createdAt: at,
    modifiedAt: at,
  };
  if (!(await insertSubscription(ctx.tx, stored)))
    throw new AppError(NgsiErrors.NGSI_ALREADY_EXISTS, {
      message: `Subscription ${subscriptionId} exists already`,
    });
  await appendAudit(ctx.tx, ctx, {
    action: SUBSCRIPTION_AUDIT.created,
    resourceType: "twin-subscription",
    resourceId: subscriptionId,
    details: auditDetails(draft),
  });
  return subscriptionId;
}

/**
 * Update Subscription (§5.8.2): the members sent replace those stored. A request that names its own
 * @context makes it the subscription's context from now on.
 */
export async function updateSubscription(
  ctx: Ctx,
  context: ActiveContext,
  ownContext: boolean,
  id: string,
  body: unknown,
): Promise<void> {
  const stored = await findSubscription(ctx.tx, checkEntityId(id, "subscriptionId"), true);
  if (!stored) throw notFound(id);
  const fragment = body as Record<string, unknown> | null;
  const bodyId = fragment && typeof fragment === "object" ? (fragment.id ?? fragment["@id"]) : undefined;
  if (bodyId !== undefined && bodyId !== id)
    throw bad("the body's id differs from the subscription in the path");
  const draft = applySubscriptionMembers(context, body, stored, ctx.clock.now());
  await checkIdPatterns(ctx.tx, idPatternsOf(draft));
  const changed = Object.keys(fragment ?? {}).filter(
    (k) => !["id", "@id", "type", "@type", "@context"].includes(k),
  );
  if (changed.length === 0 && !ownContext) throw bad("the update names no member of the subscription");
  await saveSubscription(ctx.tx, {
    ...stored,
    ...draft,
    context: ownContext ? (context.source ?? null) : stored.context,
    modifiedAt: ctx.clock.now().toISOString(),
  });
  await appendAudit(ctx.tx, ctx, {
    action: SUBSCRIPTION_AUDIT.updated,
    resourceType: "twin-subscription",
    resourceId: id,
    details: { members: changed, ...auditDetails(draft) },
  });
}

export async function deleteSubscription(ctx: Ctx, id: string): Promise<void> {
  if (!(await deleteSubscriptionRow(ctx.tx, checkEntityId(id, "subscriptionId")))) throw notFound(id);
  await appendAudit(ctx.tx, ctx, {
    action: SUBSCRIPTION_AUDIT.deleted,
    resourceType: "twin-subscription",
    resourceId: id,
  });
}

export async function getSubscription(ctx: Ctx, id: string): Promise<StoredSubscription> {
  const stored = await findSubscription(ctx.tx, checkEntityId(id, "subscriptionId"));
  if (!stored) throw notFound(id);
  return stored;
}

export function listAllSubscriptions(ctx: Ctx, page: { limit: number; offset: number; count: boolean }) {
  return listSubscriptions(ctx.tx, page);
}
