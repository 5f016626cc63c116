import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { STAFF_ROLES } from "../../../kernel/access/roles";
import { PageQuery, problems, StringEnum, Text, Uuid } from "../../../kernel/http/schemas";
import { runRead, runWrite } from "../../../kernel/http/write";
import type { Platform } from "../../../kernel/platform";
import type { DataKeys } from "../records/protection";
import { MAX_RECORDS_PER_CALL, putResourceRecords } from "../records/records.service";
import { listGrants } from "../sharing/sharing.service";
import { listPublishedResourceRows } from "./catalog.queries";
import {
  canEditResource,
  createResource,
  getResourceRow,
  resourceView,
  searchCatalog,
  updateResource,
  withdrawResource,
} from "./catalog.service";
import {
  CATEGORIES,
  GRADES,
  ITEM_TYPES,
  MASKS,
  OPEN_TYPES,
  SHARING_METHODS,
  SHARING_TYPES,
  UPDATE_CYCLES,
} from "./catalog.types";
import { catalogJsonLd, catalogTurtle } from "./dcat";

const Item = Type.Object(
  {
    name: Type.String({ pattern: "^[a-z][a-zA-Z0-9_]{0,63}$" }),
    title: Text(100),
    type: StringEnum(ITEM_TYPES),
    length: Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Null()]),
    grade: StringEnum(GRADES, { description: "general 一般 | important 重要 | core 核心" }),
    personal: Type.Boolean(),
    sensitive: Type.Boolean(),
    mask: StringEnum(MASKS),
    baseField: Type.Union([
      Type.String({ pattern: "^(person|enterprise)\\.[a-zA-Z][a-zA-Z0-9]{0,63}$" }),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);
const ResourceBody = Type.Object(
  {
    name: Text(200),
    code: Type.Optional(Type.String({ pattern: "^\\d{3}/\\d{6}$", description: "assigned when left out" })),
    summary: Text(4000),
    categoryCode: StringEnum(CATEGORIES.map((c) => c.code)),
    format: Text(50),
    sharingType: StringEnum(SHARING_TYPES, {
      description: "unconditional 无条件 | conditional 有条件 | none 不予共享",
    }),
    sharingCondition: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    sharingBasis: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    sharingMethod: StringEnum(SHARING_METHODS),
    openType: StringEnum(OPEN_TYPES),
    updateCycle: StringEnum(UPDATE_CYCLES),
    keyItem: Type.String({ minLength: 1, maxLength: 64 }),
    relatedCodes: Type.Optional(Type.Array(Type.String({ pattern: "^\\d{3}/\\d{6}$" }), { maxItems: 50 })),
    items: Type.Array(Item, { minItems: 1, maxItems: 300 }),
    providerDepartmentId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
const Resource = Type.Object(
  { id: Uuid, code: Type.String(), name: Type.String(), version: Type.Integer(), items: Type.Array(Item) },
  { additionalProperties: true },
);
const FacetValues = Type.Array(
  Type.Object({ value: Type.String(), label: Type.String(), count: Type.Integer() }),
);
const staff = { roles: STAFF_ROLES, scope: "department" as const };
const editors = {
  roles: ["dataofficer", "databureau", "leader", "admin"] as const,
  scope: "department" as const,
};

export function registerCatalogRoutes(root: FastifyInstance, platform: Platform, keys: DataKeys): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/api/datahub/resources",
    {
      schema: {
        operationId: "searchResources",
        tags: ["datahub"],
        summary: "Search the data resource catalog (Chinese words, any order) with facet counts",
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 100 })),
          category: Type.Optional(Type.String({ maxLength: 10 })),
          provider: Type.Optional(Uuid),
          sharingType: Type.Optional(StringEnum(SHARING_TYPES)),
          sharingMethod: Type.Optional(StringEnum(SHARING_METHODS)),
          openType: Type.Optional(StringEnum(OPEN_TYPES)),
          updateCycle: Type.Optional(StringEnum(UPDATE_CYCLES)),
          grade: Type.Optional(StringEnum(GRADES)),
          ...PageQuery,
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object(
                { id: Uuid, code: Type.String(), name: Type.String() },
                { additionalProperties: true },
              ),
            ),
            total: Type.Integer(),
            fuzzy: Type.Boolean({ description: "nothing matched exactly: these are near misses" }),
            facets: Type.Record(Type.String(), FacetValues),
          }),
          ...problems(400, 401, 403),
        },
      },
      config: { access: staff },
    },
    async (req) => {
      const { q, page, pageSize, ...filters } = req.query;
      return runRead(req, platform, (ctx) =>
        searchCatalog(ctx, {
          q,
          page: page ?? 1,
          pageSize: pageSize ?? 20,
          filters: Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)),
        }),
      );
    },
  );

  app.get(
    "/api/datahub/resources/:id",
    {
      schema: {
        operationId: "getResource",
        tags: ["datahub"],
        summary: "A resource's metadata and items, with my department's grants on it",
        params: Type.Object({ id: Uuid }),
        response: { 200: Resource, ...problems(400, 401, 403, 404) },
      },
      config: { access: staff },
    },
    async (req) =>
      runRead(req, platform, async (ctx) => {
        const row = await getResourceRow(ctx, req.params.id);
        const myGrants = req.actor?.departmentId
          ? (await listGrants(ctx, { box: "consumer", resourceId: row.id, limit: 50 })).filter(
              (g) => g.status === "active",
            )
          : [];
        return { ...resourceView(row), myGrants, canEdit: canEditResource(ctx, row) };
      }),
  );

  app.post(
    "/api/datahub/resources",
    {
      schema: {
        operationId: "createResource",
        tags: ["datahub"],
        summary: "Register a data resource of my department (the data bureau may name the provider)",
        body: ResourceBody,
        response: { 201: Resource, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: editors },
    },
    async (req, reply) => runWrite(req, reply, platform, 201, (ctx) => createResource(ctx, req.body)),
  );

  app.put(
    "/api/datahub/resources/:id",
    {
      schema: {
        operationId: "updateResource",
        tags: ["datahub"],
        summary: "Change a resource's metadata: a new version, the earlier one kept",
        params: Type.Object({ id: Uuid }),
        body: ResourceBody,
        response: { 200: Resource, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: editors },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, (ctx) => updateResource(ctx, req.params.id, req.body)),
  );

  app.post(
    "/api/datahub/resources/:id/withdraw",
    {
      schema: {
        operationId: "withdrawResource",
        tags: ["datahub"],
        summary: "Withdraw a resource from the catalog (grants on it stop working)",
        params: Type.Object({ id: Uuid }),
        body: Type.Object({ reason: Text(1000) }, { additionalProperties: false }),
        response: { 200: Resource, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: editors },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, (ctx) => withdrawResource(ctx, req.params.id, req.body.reason)),
  );

  app.post(
    "/api/datahub/resources/:id/records",
    {
      schema: {
        operationId: "putResourceRecords",
        tags: ["datahub"],
        summary: "Publish records of a resource, inserted or replaced by key item (sensitive items sealed)",
        params: Type.Object({ id: Uuid }),
        body: Type.Object(
          {
            records: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
              minItems: 1,
              maxItems: MAX_RECORDS_PER_CALL,
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ inserted: Type.Integer(), updated: Type.Integer() }),
          ...problems(400, 401, 403, 404, 409),
        },
      },
      config: { access: editors },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, (ctx) =>
        putResourceRecords(ctx, keys, req.params.id, req.body.records),
      ),
  );

  app.get(
    "/datahub/catalog.jsonld",
    {
      schema: {
        operationId: "exportCatalog",
        tags: ["datahub"],
        summary: "The whole published catalog as DCAT-AP 3 (JSON-LD; Turtle with Accept: text/turtle)",
        response: { 200: Type.Unknown(), ...problems(406) },
      },
      config: { access: { public: true } },
    },
    async (req, reply) => {
      const rows = await listPublishedResourceRows(platform.db);
      const input = {
        resources: rows.map(resourceView),
        baseUrl: platform.config.publicUrl,
        publisher: { name: "区政务服务和数据管理局", code: "data-bureau" },
        modified: rows.reduce(
          (latest, r) => (r.updatedAt > latest ? r.updatedAt : latest),
          "1970-01-01T00:00:00.000Z",
        ),
      };
      const accept = req.headers.accept ?? "";
      if (/text\/turtle/.test(accept))
        return reply.type("text/turtle; charset=utf-8").send(catalogTurtle(input));
      return reply.type("application/ld+json; charset=utf-8").send(JSON.stringify(catalogJsonLd(input)));
    },
  );
}
