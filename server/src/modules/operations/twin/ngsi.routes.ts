/**
 * The ETSI NGSI-LD API (GS CIM 009 v1.8) at /ngsi-ld/v1: entities, attributes, queries with `q`,
 * geo-queries and projection, batch operations and entity types. Payloads are JSON with the
 * @context in a Link header, or JSON-LD with the @context in the body; responses follow Accept
 * (application/json with a Link header, application/ld+json, application/geo+json). Errors are the
 * NGSI-LD ProblemDetails types.
 */

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { Role } from "../../../kernel/access/roles";
import type { Ctx } from "../../../kernel/http/context";
import { AppError } from "../../../kernel/http/errors";
import { problems } from "../../../kernel/http/schemas";
import { runRead, runWrite } from "../../../kernel/http/write";
import type { Platform } from "../../../kernel/platform";
import type { TwinClients } from "./clients";
import { CORE_CONTEXT_DOCUMENT, compactIri, expandTerm, NGSI_LD } from "./context";
import { bad, checkEntityId, expandAttrName, renderEntity, renderFeature } from "./entity";
import { NgsiErrors } from "./errors";
import { parseGeoQuery } from "./geo";
import {
  acceptOf,
  contextOf,
  formatOf,
  listParam,
  mediaType,
  optionSet,
  sendLd,
  setUpNgsiScope,
} from "./http";
import { qToSql } from "./query";
import { listEntityTypes, queryEntities } from "./store";
import {
  appendAttributes,
  createEntity,
  deleteAttribute,
  deleteEntity,
  mergeEntity,
  patchAttribute,
  replaceEntity,
  runBatch,
  updateAttributes,
} from "./twin.service";
import { updateValue, valueUpdateOf } from "./value-update";

const BASE = "/ngsi-ld/v1";
/** Operations staff read the twin; the command centre and administrators change it. */
export const TWIN_READERS: readonly Role[] = ["dispatcher", "leader", "gridworker", "admin"];
export const TWIN_WRITERS: readonly Role[] = ["dispatcher", "admin"];
const write = { roles: TWIN_WRITERS, scope: "district" as const };
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

const EntityId = Type.Object({ entityId: Type.String({ minLength: 1, maxLength: 512 }) });
const EntityAttr = Type.Object({
  entityId: Type.String({ minLength: 1, maxLength: 512 }),
  attrId: Type.String({ minLength: 1, maxLength: 256 }),
});
const AnyBody = Type.Unknown({ description: "NGSI-LD payload (application/json or application/ld+json)" });
const Options = {
  options: Type.Optional(Type.String({ maxLength: 200 })),
  format: Type.Optional(Type.String({ maxLength: 50 })),
};

/**
 * Registered devices and systems (twin/clients.ts) call the routes that read and those that update
 * attributes, each checked entity by entity; creating, replacing and deleting stay with the staff.
 */
export function registerNgsiRoutes(root: FastifyInstance, platform: Platform, clients: TwinClients): void {
  const read = { roles: TWIN_READERS, scope: "district" as const, clients };
  const update = { roles: TWIN_WRITERS, scope: "district" as const, clients };
  root.register(async (scope) => {
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();
    setUpNgsiScope(scope);

    const deps = platform;

    app.get(
      `${BASE}/jsonldContexts/ngsi-ld-core-context-v1.8.jsonld`,
      {
        schema: {
          operationId: "getNgsiCoreContext",
          tags: ["twin"],
          summary: "The bundled NGSI-LD core @context",
        },
        config: { access: { public: true } },
      },
      async (_req, reply) => reply.type("application/ld+json").send(CORE_CONTEXT_DOCUMENT),
    );

    app.post(
      `${BASE}/entities`,
      {
        schema: {
          operationId: "createTwinEntity",
          tags: ["twin"],
          summary: "Create an NGSI-LD entity (201 with Location; 409 AlreadyExists)",
          body: AnyBody,
          response: problems(400, 401, 403, 409, 422),
        },
        config: { access: write },
      },
      async (req, reply) => {
        const context = contextOf(req);
        return runWrite(req, reply, deps, 201, (ctx) => createEntity(ctx, context, req.body), {
          afterCommit: async () => {
            const id =
              (req.body as { id?: string; "@id"?: string }).id ?? (req.body as { "@id"?: string })["@id"];
            reply.header("location", `${BASE}/entities/${encodeURIComponent(String(id))}`);
          },
        }).then((r) => r);
      },
    );

    app.get(
      `${BASE}/entities`,
      {
        schema: {
          operationId: "queryTwinEntities",
          tags: ["twin"],
          summary: "Query entities by id, idPattern, type, attrs, q and geo-query; limit/offset, count",
          querystring: Type.Object({
            id: Type.Optional(Type.String({ maxLength: 20_000 })),
            idPattern: Type.Optional(Type.String({ maxLength: 500 })),
            type: Type.Optional(Type.String({ maxLength: 2000 })),
            attrs: Type.Optional(Type.String({ maxLength: 2000 })),
            q: Type.Optional(Type.String({ maxLength: 4000 })),
            georel: Type.Optional(Type.String({ maxLength: 100 })),
            geometry: Type.Optional(Type.String({ maxLength: 50 })),
            coordinates: Type.Optional(Type.String({ maxLength: 100_000 })),
            geoproperty: Type.Optional(Type.String({ maxLength: 256 })),
            limit: Type.Optional(Type.String({ pattern: "^\\d{1,6}$" })),
            offset: Type.Optional(Type.String({ pattern: "^\\d{1,9}$" })),
            count: Type.Optional(Type.String({ enum: ["true", "false"] })),
            ...Options,
          }),
          response: problems(400, 401, 403),
        },
        config: { access: read },
      },
      async (req, reply) => {
        const query = req.query;
        const context = contextOf(req);
        const accept = acceptOf(req, { geoJson: true });
        const types =
          listParam(query.type?.replaceAll("|", ","), "type")?.map((t) => expandTerm(context, t)) ?? null;
        const attrs = listParam(query.attrs, "attrs")?.map((a) => expandAttrName(context, a)) ?? null;
        const asked = listParam(query.id, "id", 1000)?.map((id) => checkEntityId(id)) ?? null;
        const ids = clients.readableIds(req, asked);
        const geoproperty = query.geoproperty
          ? expandAttrName(context, query.geoproperty)
          : `${NGSI_LD}location`;
        const geo = parseGeoQuery({ ...query, geoproperty });
        if (query.idPattern !== undefined) {
          try {
            new RegExp(query.idPattern);
          } catch {
            throw bad("idPattern is not a valid regular expression");
          }
        }
        if (!types && !attrs && !query.q && !geo && !asked && query.idPattern === undefined)
          throw bad("a query needs at least one of type, attrs, q, a geo-query, id or idPattern");
        const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
        const count = query.count === "true";
        if (limit > MAX_LIMIT)
          throw new AppError(NgsiErrors.NGSI_TOO_MANY_RESULTS, { message: `limit is at most ${MAX_LIMIT}` });
        if (limit === 0 && !count) throw bad("limit=0 asks for the count only: add count=true");
        const q = query.q ? qToSql(context, query.q, sql.raw("e")) : null;
        const options = {
          format: formatOf(query),
          sysAttrs: optionSet(query).has("sysAttrs"),
          attrs: attrs ? new Set(attrs) : null,
        };
        const result = await runRead(req, deps, (ctx) =>
          queryEntities(ctx.tx, {
            ids,
            idPattern: query.idPattern ?? null,
            types,
            withAnyAttr: attrs,
            q,
            geo,
            limit,
            offset: Number(query.offset ?? 0),
            count,
          }),
        );
        if (result.total !== null) reply.header("ngsild-results-count", String(result.total));
        if (accept === "geo+json") {
          return sendLd(reply, context, accept, {
            type: "FeatureCollection",
            features: result.entities.map((e) => renderFeature(context, e, options, geoproperty)),
          });
        }
        return sendLd(
          reply,
          context,
          accept,
          result.entities.map((e) => renderEntity(context, e, options)),
        );
      },
    );

    app.get(
      `${BASE}/entities/:entityId`,
      {
        schema: {
          operationId: "getTwinEntity",
          tags: ["twin"],
          summary: "Retrieve an entity (attrs projection, options=keyValues|concise|sysAttrs)",
          params: EntityId,
          querystring: Type.Object({
            type: Type.Optional(Type.String({ maxLength: 2000 })),
            attrs: Type.Optional(Type.String({ maxLength: 2000 })),
            geoproperty: Type.Optional(Type.String({ maxLength: 256 })),
            ...Options,
          }),
          response: problems(400, 401, 403, 404),
        },
        config: { access: read },
      },
      async (req, reply) => {
        const context = contextOf(req);
        const accept = acceptOf(req, { geoJson: true });
        const id = checkEntityId(req.params.entityId);
        clients.check(req, "read", id);
        const attrs = listParam(req.query.attrs, "attrs")?.map((a) => expandAttrName(context, a)) ?? null;
        const types = listParam(req.query.type, "type")?.map((t) => expandTerm(context, t)) ?? null;
        const { entities } = await runRead(req, deps, (ctx) =>
          queryEntities(ctx.tx, {
            ids: [id],
            idPattern: null,
            types,
            withAnyAttr: null,
            q: null,
            geo: null,
            limit: 1,
            offset: 0,
            count: false,
          }),
        );
        const entity = entities[0];
        if (!entity) throw new AppError(NgsiErrors.NGSI_RESOURCE_NOT_FOUND, { message: `No entity ${id}` });
        const options = {
          format: formatOf(req.query),
          sysAttrs: optionSet(req.query).has("sysAttrs"),
          attrs: attrs ? new Set(attrs) : null,
        };
        if (accept === "geo+json") {
          const geoproperty = req.query.geoproperty
            ? expandAttrName(context, req.query.geoproperty)
            : `${NGSI_LD}location`;
          return sendLd(reply, context, accept, renderFeature(context, entity, options, geoproperty));
        }
        return sendLd(reply, context, accept, renderEntity(context, entity, options));
      },
    );

    app.delete(
      `${BASE}/entities/:entityId`,
      {
        schema: {
          operationId: "deleteTwinEntity",
          tags: ["twin"],
          summary: "Delete an entity",
          params: EntityId,
          response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
        },
        config: { access: write },
      },
      async (req, reply) => runWrite(req, reply, deps, 204, (ctx) => deleteEntity(ctx, req.params.entityId)),
    );

    const partial = (r: { notUpdated: unknown[] }) => (r.notUpdated.length > 0 ? 207 : 204);

    app.post(
      `${BASE}/entities/:entityId/attrs`,
      {
        schema: {
          operationId: "appendTwinAttributes",
          tags: ["twin"],
          summary: "Append attributes (options=noOverwrite keeps existing ones; 207 lists those not added)",
          params: EntityId,
          querystring: Type.Object({ ...Options }),
          body: AnyBody,
          response: problems(400, 401, 403, 404),
        },
        config: { access: update },
      },
      async (req, reply) => {
        clients.check(req, "write", req.params.entityId);
        const context = contextOf(req);
        const noOverwrite = optionSet(req.query).has("noOverwrite");
        return runWrite(req, reply, deps, partial, (ctx) =>
          appendAttributes(ctx, context, req.params.entityId, req.body, noOverwrite),
        );
      },
    );

    app.patch(
      `${BASE}/entities/:entityId/attrs`,
      {
        schema: {
          operationId: "updateTwinAttributes",
          tags: ["twin"],
          summary: "Update existing attributes (207 lists those the entity does not have)",
          params: EntityId,
          body: AnyBody,
          response: problems(400, 401, 403, 404),
        },
        config: { access: update },
      },
      async (req, reply) => {
        clients.check(req, "write", req.params.entityId);
        const context = contextOf(req);
        return runWrite(req, reply, deps, partial, (ctx) =>
          updateAttributes(ctx, context, req.params.entityId, req.body),
        );
      },
    );

    app.patch(
      `${BASE}/entities/:entityId/attrs/:attrId`,
      {
        schema: {
          operationId: "patchTwinAttribute",
          tags: ["twin"],
          summary:
            "Partial attribute update: the members sent (value, observedAt, …) replace the attribute's",
          params: EntityAttr,
          body: AnyBody,
          response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
        },
        config: { access: update },
      },
      async (req, reply) => {
        clients.check(req, "write", req.params.entityId);
        const context = contextOf(req);
        const { entityId, attrId } = req.params;
        const update = valueUpdateOf(req.body);
        const general = (ctx: Ctx) => patchAttribute(ctx, context, entityId, attrId, req.body);
        if (!update) return runWrite(req, reply, deps, 204, general);
        // A new value for a Property: grouped with concurrent ones (without an Idempotency-Key).
        const attr = expandTerm(context, attrId);
        return runWrite(
          req,
          reply,
          deps,
          204,
          async (ctx) => {
            if (!ctx.batchable) return general(ctx);
            if (await updateValue(ctx, checkEntityId(entityId), attr, update)) return;
            await deps.db.transaction((tx) => general({ ...ctx, tx, batchable: false }));
          },
          { singleStatement: true },
        );
      },
    );

    app.delete(
      `${BASE}/entities/:entityId/attrs/:attrId`,
      {
        schema: {
          operationId: "deleteTwinAttribute",
          tags: ["twin"],
          summary: "Delete an attribute",
          params: EntityAttr,
          response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
        },
        config: { access: write },
      },
      async (req, reply) => {
        const context = contextOf(req);
        return runWrite(req, reply, deps, 204, (ctx) =>
          deleteAttribute(ctx, context, req.params.entityId, req.params.attrId),
        );
      },
    );

    app.patch(
      `${BASE}/entities/:entityId`,
      {
        schema: {
          operationId: "mergeTwinEntity",
          tags: ["twin"],
          summary: "Merge into an entity (urn:ngsi-ld:null removes an attribute)",
          params: EntityId,
          body: AnyBody,
          response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
        },
        config: { access: write },
      },
      async (req, reply) => {
        const context = contextOf(req);
        return runWrite(req, reply, deps, 204, (ctx) =>
          mergeEntity(ctx, context, req.params.entityId, req.body),
        );
      },
    );

    app.put(
      `${BASE}/entities/:entityId`,
      {
        schema: {
          operationId: "replaceTwinEntity",
          tags: ["twin"],
          summary: "Replace an entity's type and attributes",
          params: EntityId,
          body: AnyBody,
          response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
        },
        config: { access: write },
      },
      async (req, reply) => {
        const context = contextOf(req);
        return runWrite(req, reply, deps, 204, (ctx) =>
          replaceEntity(ctx, context, req.params.entityId, req.body),
        );
      },
    );

    for (const operation of ["create", "upsert", "update", "delete"] as const) {
      app.post(
        `${BASE}/entityOperations/${operation}`,
        {
          schema: {
            operationId: `batch${operation[0]!.toUpperCase()}${operation.slice(1)}TwinEntities`,
            tags: ["twin"],
            summary: `Batch ${operation}: each entity succeeds or fails on its own (207 with a BatchOperationResult)`,
            querystring: Type.Object({ ...Options }),
            body: AnyBody,
            response: problems(400, 401, 403),
          },
          config: { access: write },
        },
        async (req, reply) => {
          const ld = mediaType(req) === "application/ld+json";
          const linked = ld ? null : contextOf(req, null);
          const options = optionSet(req.query);
          type Outcome = string[] | { success: string[]; errors: unknown[] } | null;
          return runWrite<Outcome>(
            req,
            reply,
            deps,
            (body) => {
              if (body && !Array.isArray(body)) return 207;
              if (operation === "create") return 201;
              return Array.isArray(body) && body.length > 0 ? 201 : 204;
            },
            async (ctx) => {
              const r = await runBatch(
                ctx,
                (item) => (ld ? contextOf(req, item) : linked!),
                operation,
                req.body,
                {
                  replace: options.has("replace"),
                  noOverwrite: options.has("noOverwrite"),
                },
              );
              if (r.errors.length > 0) return { success: r.success, errors: r.errors };
              if (operation === "create") return r.success;
              if (operation === "upsert") return r.created;
              return null;
            },
          );
        },
      );
    }

    app.get(
      `${BASE}/types`,
      {
        schema: {
          operationId: "listTwinEntityTypes",
          tags: ["twin"],
          summary: "The entity types in the twin (EntityTypeList), with counts in details=true",
          querystring: Type.Object({ details: Type.Optional(Type.String({ enum: ["true", "false"] })) }),
          response: { 200: Type.Unknown(), ...problems(401, 403) },
        },
        config: { access: read },
      },
      async (req, reply) => {
        const context = contextOf(req);
        clients.requireSystemOrPerson(req);
        const types = await runRead(req, deps, (ctx) => listEntityTypes(ctx.tx));
        const body =
          req.query.details === "true"
            ? types.map((t) => ({
                id: t.type,
                type: "EntityType",
                typeName: compactIri(context, t.type),
                entityCount: t.count,
              }))
            : {
                id: `urn:ngsi-ld:EntityTypeList:${types.length}`,
                type: "EntityTypeList",
                typeList: types.map((t) => compactIri(context, t.type)),
              };
        reply.header("link", context.link);
        return reply.send(body);
      },
    );
  });
}
