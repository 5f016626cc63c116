import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { STAFF_ROLES } from "../../../kernel/access/roles";
import { problems, StringEnum, Text, Uuid } from "../../../kernel/http/schemas";
import { runRead, runWrite } from "../../../kernel/http/write";
import type { Platform } from "../../../kernel/platform";
import {
  createSharingRequest,
  disputeSharingRequest,
  getRequestRow,
  listGrants,
  listSharingRequests,
  requestView,
  revokeGrant,
  type SharingSettings,
  withdrawSharingRequest,
} from "./sharing.service";

const RequestView = Type.Object(
  { id: Uuid, status: Type.String(), resourceId: Uuid, fields: Type.Array(Type.String()) },
  { additionalProperties: true },
);
const GrantView = Type.Object(
  { id: Uuid, status: Type.String(), resourceId: Uuid, fields: Type.Array(Type.String()) },
  { additionalProperties: true },
);
const STATUSES = ["checking", "provider-review", "granted", "refused", "disputed", "withdrawn"] as const;
const staff = { roles: STAFF_ROLES, scope: "department" as const };
const DATE = "^\\d{4}-\\d{2}-\\d{2}$";

export function registerSharingRoutes(
  root: FastifyInstance,
  platform: Platform,
  settings: SharingSettings,
  afterRevoke: () => void,
): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const engine = platform.workflow;

  app.post(
    "/api/datahub/requests",
    {
      schema: {
        operationId: "createSharingRequest",
        tags: ["datahub"],
        summary: "Ask for fields of a resource for a purpose: 无条件 granted at once, 有条件 reviewed",
        body: Type.Object(
          {
            resourceId: Uuid,
            fields: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
              minItems: 1,
              maxItems: 300,
              uniqueItems: true,
            }),
            clearFields: Type.Optional(
              Type.Array(Type.String({ maxLength: 64 }), { maxItems: 300, uniqueItems: true }),
            ),
            purposeCode: Type.String({
              pattern: "^[a-z][a-z0-9-]{2,49}$",
              description: "what calls name as purpose",
            }),
            purpose: Text(1000),
            legalBasis: Text(1000),
            periodFrom: Type.String({ pattern: DATE, format: "date" }),
            periodTo: Type.String({ pattern: DATE, format: "date" }),
            expectedDailyVolume: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: RequestView, ...problems(400, 401, 403, 404, 409, 422) },
      },
      config: { access: staff },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 201, async (ctx) =>
        requestView(ctx, engine, await createSharingRequest(ctx, engine, settings, req.body), false),
      ),
  );

  app.get(
    "/api/datahub/requests",
    {
      schema: {
        operationId: "listSharingRequests",
        tags: ["datahub"],
        summary:
          "Sharing requests: mine (my department's), review (awaiting my department or the data bureau), all",
        querystring: Type.Object({
          box: Type.Optional(StringEnum(["mine", "review", "all"] as const)),
          status: Type.Optional(StringEnum(STATUSES)),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })),
        }),
        response: { 200: Type.Array(RequestView), ...problems(400, 401, 403) },
      },
      config: { access: staff },
    },
    async (req) =>
      runRead(req, platform, async (ctx) => {
        const rows = await listSharingRequests(ctx, {
          box: req.query.box ?? "mine",
          status: req.query.status,
          limit: req.query.limit ?? 200,
        });
        return Promise.all(rows.map((r) => requestView(ctx, engine, r, false)));
      }),
  );

  app.get(
    "/api/datahub/requests/:id",
    {
      schema: {
        operationId: "getSharingRequest",
        tags: ["datahub"],
        summary: "A sharing request with its history and the task I may act on",
        params: Type.Object({ id: Uuid }),
        response: { 200: RequestView, ...problems(400, 401, 403, 404) },
      },
      config: { access: staff },
    },
    async (req) =>
      runRead(req, platform, async (ctx) =>
        requestView(ctx, engine, await getRequestRow(ctx, req.params.id), true),
      ),
  );

  app.post(
    "/api/datahub/requests/:id/dispute",
    {
      schema: {
        operationId: "disputeSharingRequest",
        tags: ["datahub"],
        summary: "Dispute a refusal (异议): the data bureau decides",
        params: Type.Object({ id: Uuid }),
        body: Type.Object({ reason: Text(2000) }, { additionalProperties: false }),
        response: { 200: RequestView, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: staff },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, async (ctx) =>
        requestView(
          ctx,
          engine,
          await disputeSharingRequest(ctx, engine, req.params.id, req.body.reason),
          true,
        ),
      ),
  );

  app.post(
    "/api/datahub/requests/:id/withdraw",
    {
      schema: {
        operationId: "withdrawSharingRequest",
        tags: ["datahub"],
        summary: "Withdraw my request while it is under review",
        params: Type.Object({ id: Uuid }),
        response: { 200: RequestView, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: staff },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, async (ctx) =>
        requestView(ctx, engine, await withdrawSharingRequest(ctx, engine, req.params.id), true),
      ),
  );

  app.get(
    "/api/datahub/grants",
    {
      schema: {
        operationId: "listGrants",
        tags: ["datahub"],
        summary: "Grants my department holds (consumer) or gave (provider); the data bureau sees all",
        querystring: Type.Object({
          box: Type.Optional(StringEnum(["consumer", "provider", "all"] as const)),
          status: Type.Optional(StringEnum(["active", "expired", "revoked"] as const)),
          resourceId: Type.Optional(Uuid),
        }),
        response: { 200: Type.Array(GrantView), ...problems(400, 401, 403) },
      },
      config: { access: staff },
    },
    async (req) =>
      runRead(req, platform, async (ctx) =>
        (
          await listGrants(ctx, {
            box: req.query.box ?? "consumer",
            status: req.query.status,
            resourceId: req.query.resourceId,
            limit: 500,
          })
        ).map(({ providerDepartmentPath: _p, ...g }) => g),
      ),
  );

  app.post(
    "/api/datahub/grants/:id/revoke",
    {
      schema: {
        operationId: "revokeGrant",
        tags: ["datahub"],
        summary: "Revoke a grant at once (the provider or the data bureau)",
        params: Type.Object({ id: Uuid }),
        body: Type.Object({ reason: Text(1000) }, { additionalProperties: false }),
        response: { 200: GrantView, ...problems(400, 401, 403, 404, 409) },
      },
      config: {
        access: {
          roles: ["dataofficer", "leader", "databureau", "admin"] as const,
          scope: "department" as const,
        },
      },
    },
    async (req, reply) =>
      runWrite(
        req,
        reply,
        platform,
        200,
        async (ctx) => {
          const { providerDepartmentPath: _p, ...grant } = await revokeGrant(
            ctx,
            req.params.id,
            req.body.reason,
          );
          return grant;
        },
        { afterCommit: async () => afterRevoke() },
      ),
  );
}
