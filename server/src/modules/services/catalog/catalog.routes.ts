import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { PageQuery, problems, StringEnum, Text, Uuid } from "../../../kernel/http/schemas";
import { runRead, runWrite } from "../../../kernel/http/write";
import type { Platform } from "../../../kernel/platform";
import {
  draftItem,
  getItemVersion,
  type ItemContent,
  listVersions,
  publishItem,
  serviceDetail,
  withdrawItem,
} from "./catalog.service";
import { ITEM_TYPES, LIFE_EVENTS } from "./item";
import type { PublishedCatalog } from "./published";

const Summary = Type.Object(
  { id: Uuid, code: Type.String(), name: Type.String(), version: Type.Integer() },
  { additionalProperties: true },
);
const Detail = Type.Object(
  { id: Uuid, code: Type.String(), name: Type.String(), version: Type.Integer(), status: Type.String() },
  { additionalProperties: true },
);
const LIFE_EVENT_KEYS = Object.keys(LIFE_EVENTS) as (keyof typeof LIFE_EVENTS)[];
const MANAGERS = { roles: ["admin", "leader", "officer"] as const, scope: "department" as const };

const Material = Type.Object(
  {
    code: Type.String({ pattern: "^[a-z0-9][a-z0-9-]{0,63}$" }),
    name: Text(200),
    form: StringEnum(["original", "copy", "electronic"] as const),
    copies: Type.Integer({ minimum: 0, maximum: 20 }),
    mandatory: Type.Boolean(),
    source: StringEnum(["applicant", "government", "intermediary", "other"] as const),
    certificateType: Type.Optional(Type.String({ maxLength: 64 })),
    sharedData: Type.Optional(Type.Boolean()),
    legalBasis: Type.Optional(Type.String({ maxLength: 1000 })),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    accept: Type.Optional(
      Type.Array(StringEnum(["application/pdf", "image/jpeg", "image/png", "application/ofd"] as const), {
        maxItems: 4,
      }),
    ),
  },
  { additionalProperties: false },
);

/** The body of a new item version: the guide fields of ServiceItemSpec with the department's code. */
const ItemBody = Type.Object(
  {
    departmentCode: Type.String({ minLength: 1, maxLength: 64 }),
    code: Type.String({ minLength: 3, maxLength: 80, pattern: "^[A-Za-z0-9-]+$" }),
    basicCode: Type.String({ pattern: "^(XK|QR|CJ|JF|JL|BA|QT|GG)\\d{8}$" }),
    name: Text(200),
    itemType: StringEnum(ITEM_TYPES),
    authority: StringEnum(["statutory", "authorised", "entrusted"] as const),
    legalBasis: Type.Array(Text(1000), { minItems: 1, maxItems: 30 }),
    conditions: Type.Array(Text(1000), { minItems: 1, maxItems: 30 }),
    quantityLimit: Type.Optional(Type.String({ maxLength: 500 })),
    applicantTypes: Type.Array(StringEnum(["person", "legal"] as const), {
      minItems: 1,
      maxItems: 2,
      uniqueItems: true,
    }),
    lifeEvents: Type.Array(StringEnum(LIFE_EVENT_KEYS), { minItems: 1, maxItems: 10, uniqueItems: true }),
    materials: Type.Array(Material, { maxItems: 50 }),
    statutoryDays: Type.Integer({ minimum: 0, maximum: 365 }),
    promisedDays: Type.Integer({ minimum: 0, maximum: 365 }),
    specialSteps: Type.Array(
      Type.Object(
        {
          kind: StringEnum([
            "site-inspection",
            "testing",
            "expert-review",
            "hearing",
            "public-notice",
            "quarantine",
          ] as const),
          name: Text(100),
          maxDays: Type.Integer({ minimum: 1, maximum: 365 }),
          legalBasis: Type.Optional(Type.String({ maxLength: 1000 })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 10 },
    ),
    fee: Type.Object(
      {
        amountFen: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
        basis: Type.Optional(Type.String({ maxLength: 1000 })),
        note: Type.Optional(Type.String({ maxLength: 1000 })),
      },
      { additionalProperties: false },
    ),
    handlingForm: StringEnum(["online", "window", "online-and-window"] as const),
    fullyOnline: Type.Boolean(),
    visits: Type.Integer({ minimum: 0, maximum: 5 }),
    courier: Type.Boolean(),
    crossRegion: StringEnum([
      "none",
      "district",
      "city",
      "province",
      "national",
      "greater-bay-area",
    ] as const),
    result: Type.Object(
      {
        name: Text(200),
        kind: StringEnum([
          "licence",
          "permit",
          "registration",
          "certificate",
          "decision",
          "payment",
          "other",
        ] as const),
      },
      { additionalProperties: false },
    ),
    consultation: Text(500),
    complaint: Text(500),
    processKey: Type.Optional(Type.String({ maxLength: 100 })),
    form: Type.Record(Type.String(), Type.Unknown()),
    uiSchema: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);

export function registerCatalogRoutes(
  root: FastifyInstance,
  platform: Platform,
  catalog: PublishedCatalog,
): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/api/services",
    {
      schema: {
        operationId: "listServices",
        tags: ["services"],
        summary: "The published item list (事项清单): Chinese full-text search, life events, departments",
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 100 })),
          lifeEvent: Type.Optional(StringEnum(LIFE_EVENT_KEYS)),
          department: Type.Optional(Type.String({ maxLength: 64 })),
          applicantType: Type.Optional(StringEnum(["person", "legal"] as const)),
          itemType: Type.Optional(StringEnum(ITEM_TYPES)),
          ...PageQuery,
        }),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            items: Type.Array(Summary),
            facets: Type.Object({}, { additionalProperties: true }),
          }),
          ...problems(400),
        },
      },
      config: { access: { public: true } },
    },
    async (req) =>
      catalog.search({ ...req.query, page: req.query.page ?? 1, pageSize: req.query.pageSize ?? 20 }),
  );

  app.get(
    "/api/services/:id",
    {
      schema: {
        operationId: "getService",
        tags: ["services"],
        summary: "An item's guide (办事指南): the published version, or (staff) any version",
        params: Type.Object({ id: Uuid }),
        querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: Detail, ...problems(400, 404) },
      },
      config: { access: { public: true } },
    },
    async (req) =>
      runRead(req, platform, async (ctx) =>
        serviceDetail(await getItemVersion(ctx, req.params.id, req.query.version)),
      ),
  );

  app.get(
    "/api/services/:id/versions",
    {
      schema: {
        operationId: "listServiceVersions",
        tags: ["services"],
        summary: "Every version of an item with its status",
        params: Type.Object({ id: Uuid }),
        response: {
          200: Type.Array(
            Type.Object({ version: Type.Integer(), status: Type.String() }, { additionalProperties: true }),
          ),
          ...problems(400, 401, 403),
        },
      },
      config: { access: MANAGERS },
    },
    async (req) => runRead(req, platform, (ctx) => listVersions(ctx, req.params.id)),
  );

  app.post(
    "/api/services/items",
    {
      schema: {
        operationId: "draftServiceItem",
        tags: ["services"],
        summary: "Put an item on the list as a draft (a new item, or the next version of the same code)",
        body: ItemBody,
        response: { 201: Detail, ...problems(400, 401, 403, 409) },
      },
      config: { access: MANAGERS },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 201, async (ctx) => {
        const { departmentCode, ...spec } = req.body;
        return serviceDetail(await draftItem(ctx, { code: departmentCode }, spec as ItemContent));
      }),
  );

  for (const [action, operationId, summary] of [
    ["publish", "publishServiceItem", "Publish the item's draft: it replaces the published version"],
    ["withdraw", "withdrawServiceItem", "Take the item off the list: no new applications, no approvals"],
  ] as const) {
    app.post(
      `/api/services/items/:id/${action}`,
      {
        schema: {
          operationId,
          tags: ["services"],
          summary,
          params: Type.Object({ id: Uuid }),
          body: Type.Optional(
            Type.Object({ reason: Type.Optional(Text(1000)) }, { additionalProperties: false }),
          ),
          response: { 200: Detail, ...problems(400, 401, 403, 404, 409) },
        },
        config: { access: MANAGERS },
      },
      async (req, reply) =>
        runWrite(
          req,
          reply,
          platform,
          200,
          async (ctx) => {
            const row =
              action === "publish"
                ? await publishItem(ctx, req.params.id)
                : await withdrawItem(ctx, req.params.id, req.body?.reason ?? "");
            return serviceDetail(row);
          },
          { afterCommit: async () => catalog.forget() },
        ),
    );
  }
}
