/**
 * The NGSI-LD subscription API (GS CIM 009 §5.8) at /ngsi-ld/v1/subscriptions: create, list,
 * retrieve, update and delete. Payloads and @contexts as for entities (ngsi.routes.ts).
 */
import { createHash, randomUUID } from "node:crypto";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { AppError } from "../../../../kernel/http/errors";
import { problems } from "../../../../kernel/http/schemas";
import { runRead, runWrite } from "../../../../kernel/http/write";
import type { Platform } from "../../../../kernel/platform";
import { bad } from "../entity";
import { NgsiErrors } from "../errors";
import { acceptOf, contextOf, hasOwnContext, sendLd, setUpNgsiScope } from "../http";
import { TWIN_READERS, TWIN_WRITERS } from "../ngsi.routes";
import type { SubscriptionNotifier } from "./notifier";
import { renderSubscription } from "./subscription";
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listAllSubscriptions,
  updateSubscription,
} from "./subscriptions.service";

const BASE = "/ngsi-ld/v1/subscriptions";
const read = { roles: TWIN_READERS, scope: "district" as const };
const write = { roles: TWIN_WRITERS, scope: "district" as const };
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

const SubscriptionId = Type.Object({ subscriptionId: Type.String({ minLength: 1, maxLength: 512 }) });
const AnyBody = Type.Unknown({
  description: "NGSI-LD Subscription (application/json or application/ld+json)",
});
const Options = { options: Type.Optional(Type.String({ maxLength: 200 })) };

const hasOption = (query: { options?: string }, name: string) =>
  (query.options ?? "").split(",").some((o) => o.trim() === name);

/**
 * The id of a new subscription: the payload's, else a new URN. With an Idempotency-Key the URN
 * derives from the key, so a retry answers with the same Location.
 */
function proposedId(req: FastifyRequest): unknown {
  const body = req.body as { id?: unknown; "@id"?: unknown } | null;
  const given = body && typeof body === "object" ? (body.id ?? body["@id"]) : undefined;
  if (given !== undefined) return given;
  const key = req.headers["idempotency-key"];
  if (typeof key !== "string") return `urn:ngsi-ld:Subscription:${randomUUID()}`;
  const hex = createHash("sha256")
    .update(`${req.actor?.id ?? req.ip}\n${key}`)
    .digest("hex");
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return `urn:ngsi-ld:Subscription:${uuid}`;
}

export function registerSubscriptionRoutes(
  root: FastifyInstance,
  platform: Platform,
  notifier: SubscriptionNotifier,
): void {
  root.register(async (scope) => {
    setUpNgsiScope(scope);
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();
    const deps = platform;
    const refresh = { afterCommit: async () => notifier.invalidate() };

    app.post(
      BASE,
      {
        schema: {
          operationId: "createTwinSubscription",
          tags: ["twin"],
          summary: "Create a subscription (201 with Location; 409 AlreadyExists)",
          body: AnyBody,
          response: problems(400, 401, 403, 409, 422),
        },
        config: { access: write },
      },
      async (req, reply) => {
        const context = contextOf(req);
        const id = proposedId(req);
        return runWrite(
          req,
          reply,
          deps,
          201,
          async (ctx) => {
            await createSubscription(ctx, context, req.body, id);
            return "";
          },
          {
            afterCommit: async () => {
              notifier.invalidate();
              reply.header("location", `${BASE}/${encodeURIComponent(String(id))}`);
            },
          },
        );
      },
    );

    app.get(
      BASE,
      {
        schema: {
          operationId: "listTwinSubscriptions",
          tags: ["twin"],
          summary: "List subscriptions (limit, offset; count=true → NGSILD-Results-Count)",
          querystring: Type.Object({
            limit: Type.Optional(Type.String({ pattern: "^\\d{1,6}$" })),
            offset: Type.Optional(Type.String({ pattern: "^\\d{1,9}$" })),
            count: Type.Optional(Type.String({ enum: ["true", "false"] })),
            ...Options,
          }),
          response: problems(400, 401, 403, 406),
        },
        config: { access: read },
      },
      async (req, reply) => {
        const context = contextOf(req);
        const accept = acceptOf(req);
        const limit = req.query.limit === undefined ? DEFAULT_LIMIT : Number(req.query.limit);
        const count = req.query.count === "true";
        if (limit > MAX_LIMIT)
          throw new AppError(NgsiErrors.NGSI_TOO_MANY_RESULTS, { message: `limit is at most ${MAX_LIMIT}` });
        if (limit === 0 && !count) throw bad("limit=0 asks for the count only: add count=true");
        const page = await runRead(req, deps, (ctx) =>
          listAllSubscriptions(ctx, { limit, offset: Number(req.query.offset ?? 0), count }),
        );
        if (page.total !== null) reply.header("ngsild-results-count", String(page.total));
        const now = platform.clock.now();
        const sysAttrs = hasOption(req.query, "sysAttrs");
        return sendLd(
          reply,
          context,
          accept,
          page.subscriptions.map((s) => renderSubscription(context, s, now, sysAttrs)),
        );
      },
    );

    app.get(
      `${BASE}/:subscriptionId`,
      {
        schema: {
          operationId: "getTwinSubscription",
          tags: ["twin"],
          summary: "Retrieve a subscription with its status and delivery counts",
          params: SubscriptionId,
          querystring: Type.Object({ ...Options }),
          response: problems(400, 401, 403, 404, 406),
        },
        config: { access: read },
      },
      async (req, reply) => {
        const context = contextOf(req);
        const accept = acceptOf(req);
        const stored = await runRead(req, deps, (ctx) => getSubscription(ctx, req.params.subscriptionId));
        return sendLd(
          reply,
          context,
          accept,
          renderSubscription(context, stored, platform.clock.now(), hasOption(req.query, "sysAttrs")),
        );
      },
    );

    app.patch(
      `${BASE}/:subscriptionId`,
      {
        schema: {
          operationId: "updateTwinSubscription",
          tags: ["twin"],
          summary: "Update a subscription: the members sent replace those stored (isActive=false pauses it)",
          params: SubscriptionId,
          body: AnyBody,
          response: { 204: Type.Null(), ...problems(400, 401, 403, 404, 422) },
        },
        config: { access: write },
      },
      async (req, reply) => {
        const context = contextOf(req);
        const ownContext = hasOwnContext(req);
        return runWrite(
          req,
          reply,
          deps,
          204,
          (ctx) => updateSubscription(ctx, context, ownContext, req.params.subscriptionId, req.body),
          refresh,
        );
      },
    );

    app.delete(
      `${BASE}/:subscriptionId`,
      {
        schema: {
          operationId: "deleteTwinSubscription",
          tags: ["twin"],
          summary: "Delete a subscription",
          params: SubscriptionId,
          response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
        },
        config: { access: write },
      },
      async (req, reply) =>
        runWrite(req, reply, deps, 204, (ctx) => deleteSubscription(ctx, req.params.subscriptionId), refresh),
    );
  });
}
