import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { appendAudit } from "../../../kernel/audit/audit";
import { rawQuery } from "../../../kernel/db/db";
import { AppError, HttpErrors } from "../../../kernel/http/errors";
import { problems, Text } from "../../../kernel/http/schemas";
import { runRead, runWrite } from "../../../kernel/http/write";
import type { Platform } from "../../../kernel/platform";
import { listPublishedResourceRows } from "../catalog/catalog.queries";
import { DatahubErrors } from "../errors";
import { authenticateClient, disableClient, listClientRows, registerClient } from "./clients.service";
import type { Gateway } from "./gateway";
import type { TokenService } from "./tokens";

const KEY = Type.String({ minLength: 1, maxLength: 64, pattern: "^[\\x21-\\x7e]+$" });

/**
 * The exchange gateway for other departments' systems (OAuth 2.0 client credentials), its service
 * metadata in the manner of X-Road (listClients, listMethods, allowedMethods, getOpenAPI), and the
 * console's management of client systems.
 */
export function registerExchangeRoutes(
  root: FastifyInstance,
  platform: Platform,
  gateway: Gateway,
  tokens: TokenService,
): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const client = {
    system: "exchange-client",
    authenticate: (req: FastifyRequest) => gateway.authenticateRequest(req),
  } as const;
  const ttl = platform.config.datahub.exchangeTokenTtlSeconds;

  // OAuth clients send the token request form-encoded (RFC 6749 §4.4.2); JSON is accepted too.
  root.register(async (scope) => {
    scope.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string" },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    registerTokenRoute(scope.withTypeProvider<TypeBoxTypeProvider>());
  });
  function registerTokenRoute(app: ReturnType<FastifyInstance["withTypeProvider"]>) {
    app.post(
      "/exchange/oauth/token",
      {
        schema: {
          operationId: "createExchangeToken",
          tags: ["exchange"],
          summary:
            "OAuth 2.0 client credentials (RFC 6749 §4.4): HTTP Basic or client_id/client_secret in the body",
          body: Type.Object({
            grant_type: Type.String({ maxLength: 50 }),
            client_id: Type.Optional(Type.String({ maxLength: 100 })),
            client_secret: Type.Optional(Type.String({ maxLength: 200 })),
          }),
          response: {
            200: Type.Object({
              access_token: Type.String(),
              token_type: Type.String(),
              expires_in: Type.Integer(),
            }),
            ...problems(400, 401),
          },
        },
        config: { access: { public: true } },
      },
      async (req, reply) => {
        // The schema above validated the body; the scope's own type provider is not inferred through the plugin.
        const body = req.body as { grant_type: string; client_id?: string; client_secret?: string };
        if (body.grant_type !== "client_credentials")
          throw new AppError(DatahubErrors.UNSUPPORTED_GRANT_TYPE);
        let id = body.client_id;
        let secret = body.client_secret;
        const basic = req.headers.authorization;
        if (basic?.startsWith("Basic ")) {
          const decoded = Buffer.from(basic.slice(6), "base64").toString("utf8");
          const colon = decoded.indexOf(":");
          if (colon > 0) {
            id = decodeURIComponent(decoded.slice(0, colon));
            secret = decodeURIComponent(decoded.slice(colon + 1));
          }
        }
        const found = id && secret ? await authenticateClient(platform.db, id, secret) : null;
        await platform.db.transaction((tx) =>
          appendAudit(
            tx,
            { actor: null, requestId: req.id, ip: req.ip, clock: platform.clock },
            {
              action: "datahub.exchange.token-issued",
              resourceType: "exchange-client",
              resourceId: id ?? null,
              outcome: found ? "success" : "denied",
            },
          ),
        );
        if (!found) throw new AppError(DatahubErrors.INVALID_CLIENT);
        const token = await tokens.issue(found.clientId, found.departmentId, ttl, platform.clock.now());
        reply.header("cache-control", "no-store");
        return { access_token: token.accessToken, token_type: "Bearer", expires_in: token.expiresIn };
      },
    );
  }

  app.get(
    "/exchange/oauth/jwks",
    {
      schema: {
        operationId: "getExchangeJwks",
        tags: ["exchange"],
        summary: "The keys that sign the gateway's access tokens (JWKS)",
        response: { 200: Type.Object({ keys: Type.Array(Type.Unknown()) }) },
      },
      config: { access: { public: true } },
    },
    async () => tokens.jwks(),
  );

  app.get(
    "/exchange/v1/:category/:seq",
    {
      schema: {
        operationId: "exchangeRecords",
        tags: ["exchange"],
        summary:
          "Read records of a resource (code category/seq) for a granted purpose: granted fields only, masked by classification, audited",
        params: Type.Object({
          category: Type.String({ pattern: "^\\d{3}$" }),
          seq: Type.String({ pattern: "^\\d{6}$" }),
        }),
        querystring: Type.Object({
          purpose: Type.Optional(Type.String({ maxLength: 50 })),
          key: Type.Optional(KEY),
          keys: Type.Optional(
            Type.String({ maxLength: 3300, description: "up to 50 keys, comma-separated" }),
          ),
          fields: Type.Optional(
            Type.String({ maxLength: 2000, description: "comma-separated; default: all granted" }),
          ),
        }),
        response: {
          200: Type.Object({
            resource: Type.String(),
            purpose: Type.String(),
            fields: Type.Array(Type.String()),
            count: Type.Integer(),
            records: Type.Array(Type.Record(Type.String(), Type.Unknown())),
          }),
          ...problems(400, 401, 403, 404, 422, 429),
        },
      },
      config: { access: client },
    },
    async (req) => {
      const keys = [
        ...(req.query.key ? [req.query.key] : []),
        ...(req.query.keys
          ? req.query.keys
              .split(",")
              .map((k) => k.trim())
              .filter(Boolean)
          : []),
      ];
      if (keys.length === 0 || keys.length > 50) {
        throw new AppError(HttpErrors.VALIDATION_FAILED, {
          errors: [{ field: "/querystring/key", message: "give one key, or up to 50 keys" }],
        });
      }
      return gateway.call({
        claims: gateway.callerOf(req),
        resourceCode: `${req.params.category}/${req.params.seq}`,
        purpose: req.query.purpose?.trim() || undefined,
        keys,
        fields: req.query.fields
          ? req.query.fields
              .split(",")
              .map((f) => f.trim())
              .filter(Boolean)
          : undefined,
        ip: req.ip,
        requestId: req.id,
      });
    },
  );

  /** The calling system (the metadata services answer only authenticated systems). */
  const caller = async (req: FastifyRequest) => gateway.callerOf(req);

  app.get(
    "/exchange/v1/listClients",
    {
      schema: {
        operationId: "listExchangeClients",
        tags: ["exchange"],
        summary: "X-Road listClients: the members (departments) and their registered systems",
        response: { 200: Type.Object({ clients: Type.Array(Type.Unknown()) }), ...problems(401) },
      },
      config: { access: client },
    },
    async (req) => {
      await caller(req);
      const rows = await rawQuery<{
        clientId: string;
        name: string;
        departmentCode: string;
        departmentName: string;
      }>(
        platform.db,
        `select c.client_id as "clientId", c.name, d.code as "departmentCode", d.name as "departmentName"
         from datahub.clients c join identity.departments d on d.id = c.department_id
         where not c.disabled order by d.code, c.name`,
        [],
      );
      return {
        clients: rows.map((r) => ({
          id: { memberCode: r.departmentCode, subsystemCode: r.clientId },
          name: r.name,
          memberName: r.departmentName,
        })),
      };
    },
  );

  const methodsOf = async (consumerId: string | null) => {
    const rows = await listPublishedResourceRows(platform.db);
    const granted = consumerId
      ? await rawQuery<{ resourceId: string; purposeCode: string; fields: string[] }>(
          platform.db,
          `select resource_id as "resourceId", purpose_code as "purposeCode", fields from datahub.grants
           where consumer_department_id = $1 and status = 'active' and expires_at > now()`,
          [consumerId],
        )
      : null;
    return rows
      .filter((r) => r.sharingMethod === "api" && r.sharingType !== "none")
      .filter((r) => !granted || granted.some((g) => g.resourceId === r.id))
      .map((r) => ({
        serviceCode: r.code,
        name: r.name,
        provider: { memberCode: r.providerDepartmentCode, memberName: r.providerDepartmentName },
        sharingType: r.sharingType,
        path: `/exchange/v1/${r.code}`,
        ...(granted
          ? {
              purposes: granted
                .filter((g) => g.resourceId === r.id)
                .map((g) => ({ purpose: g.purposeCode, fields: g.fields })),
            }
          : {}),
      }));
  };

  app.get(
    "/exchange/v1/listMethods",
    {
      schema: {
        operationId: "listExchangeMethods",
        tags: ["exchange"],
        summary: "X-Road listMethods: every service (resource) the gateway offers",
        response: { 200: Type.Object({ services: Type.Array(Type.Unknown()) }), ...problems(401) },
      },
      config: { access: client },
    },
    async (req) => {
      await caller(req);
      return { services: await methodsOf(null) };
    },
  );

  app.get(
    "/exchange/v1/allowedMethods",
    {
      schema: {
        operationId: "allowedExchangeMethods",
        tags: ["exchange"],
        summary:
          "X-Road allowedMethods: the services the calling system may call now, with purposes and fields",
        response: { 200: Type.Object({ services: Type.Array(Type.Unknown()) }), ...problems(401) },
      },
      config: { access: client },
    },
    async (req) => {
      const claims = await caller(req);
      return { services: await methodsOf(claims.dept) };
    },
  );

  app.get(
    "/exchange/v1/getOpenAPI",
    {
      schema: {
        operationId: "getExchangeOpenAPI",
        tags: ["exchange"],
        summary: "X-Road getOpenAPI: the OpenAPI description of one service",
        querystring: Type.Object({ serviceCode: Type.String({ pattern: "^\\d{3}/\\d{6}$" }) }),
        response: { 200: Type.Unknown(), ...problems(400, 401, 404) },
      },
      config: { access: client },
    },
    async (req) => {
      await caller(req);
      const resource = (await listPublishedResourceRows(platform.db)).find(
        (r) => r.code === req.query.serviceCode,
      );
      if (!resource || resource.sharingType === "none") throw new AppError(DatahubErrors.RESOURCE_NOT_FOUND);
      const typeOf = (t: string) =>
        t === "integer"
          ? { type: "integer" }
          : t === "number"
            ? { type: "number" }
            : t === "boolean"
              ? { type: "boolean" }
              : { type: "string" };
      return {
        openapi: "3.1.0",
        info: { title: resource.name, version: String(resource.version), description: resource.summary },
        servers: [{ url: `${platform.config.publicUrl}/exchange/v1` }],
        components: {
          securitySchemes: {
            clientCredentials: {
              type: "oauth2",
              flows: {
                clientCredentials: {
                  tokenUrl: `${platform.config.publicUrl}/exchange/oauth/token`,
                  scopes: {},
                },
              },
            },
          },
        },
        security: [{ clientCredentials: [] }],
        paths: {
          [`/${resource.code}`]: {
            get: {
              operationId: `read_${resource.code.replace("/", "_")}`,
              parameters: [
                { name: "purpose", in: "query", required: true, schema: { type: "string" } },
                { name: "key", in: "query", schema: { type: "string" }, description: resource.keyItem },
                { name: "keys", in: "query", schema: { type: "string" } },
                { name: "fields", in: "query", schema: { type: "string" } },
              ],
              responses: {
                200: {
                  description: "records (masked unless granted in clear)",
                  content: {
                    "application/json": {
                      schema: {
                        type: "object",
                        properties: {
                          records: {
                            type: "array",
                            items: {
                              type: "object",
                              properties: Object.fromEntries(
                                resource.items.map((i) => [i.name, { ...typeOf(i.type), title: i.title }]),
                              ),
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      };
    },
  );

  const officers = {
    roles: ["dataofficer", "databureau", "leader", "admin"] as const,
    scope: "department" as const,
  };
  app.get(
    "/api/datahub/clients",
    {
      schema: {
        operationId: "listClients",
        tags: ["datahub"],
        summary: "My department's systems registered with the gateway (the data bureau: all)",
        response: {
          200: Type.Array(Type.Object({ clientId: Type.String() }, { additionalProperties: true })),
          ...problems(401, 403),
        },
      },
      config: { access: officers },
    },
    async (req) =>
      runRead(req, platform, async (ctx) => {
        const rows = await listClientRows(ctx);
        const names = new Map(
          (
            await rawQuery<{ id: string; name: string }>(
              ctx.tx,
              "select id::text, name from identity.departments where id::text = any($1::text[])",
              [rows.map((r) => r.departmentId)],
            )
          ).map((d) => [d.id, d.name]),
        );
        return rows.map((r) => ({ ...r, departmentName: names.get(r.departmentId) ?? "" }));
      }),
  );

  app.post(
    "/api/datahub/clients",
    {
      schema: {
        operationId: "registerClient",
        tags: ["datahub"],
        summary: "Register a system of my department; its secret is shown this once",
        body: Type.Object({ name: Text(100) }, { additionalProperties: false }),
        response: {
          201: Type.Object(
            { clientId: Type.String(), clientSecret: Type.String(), name: Type.String() },
            { additionalProperties: true },
          ),
          ...problems(400, 401, 403),
        },
      },
      config: { access: officers },
    },
    async (req, reply) => runWrite(req, reply, platform, 201, (ctx) => registerClient(ctx, req.body.name)),
  );

  app.post(
    "/api/datahub/clients/:clientId/disable",
    {
      schema: {
        operationId: "disableClient",
        tags: ["datahub"],
        summary: "Disable a system: its tokens stop working within seconds",
        params: Type.Object({ clientId: Type.String({ pattern: "^cli_[A-Za-z0-9_-]{4,40}$" }) }),
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
      config: { access: officers },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 204, (ctx) => disableClient(ctx, req.params.clientId), {
        afterCommit: async () => gateway.forget(),
      }),
  );
}
