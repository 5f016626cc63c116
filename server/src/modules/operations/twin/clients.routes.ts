/**
 * The twin's registered devices and systems (/api/operations/twin-clients): administrators register
 * them (the secret is shown once), rebind, allow or forbid writing, rotate the secret, disable.
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { problems, StringEnum, Text, Uuid } from "../../../kernel/http/schemas";
import { runRead, runWrite } from "../../../kernel/http/write";
import type { Platform } from "../../../kernel/platform";
import type { TwinClients } from "./clients";
import {
  listTwinClients,
  registerTwinClient,
  rotateTwinClientSecret,
  updateTwinClient,
} from "./clients.service";

const admins = { roles: ["admin"] as const, scope: "district" as const };
const viewers = { roles: ["admin", "dispatcher"] as const, scope: "district" as const };
const EntityIds = Type.Array(Type.String({ minLength: 1, maxLength: 512 }), {
  maxItems: 1000,
  description: "A device's entities (NGSI-LD ids): it reads and updates only these",
});
const ClientView = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    kind: StringEnum(["device", "system"] as const),
    entityIds: Type.Array(Type.String()),
    mayWrite: Type.Boolean(),
    disabled: Type.Boolean(),
    createdAt: Type.String(),
    modifiedAt: Type.String(),
  },
  { additionalProperties: false },
);
const WithSecret = Type.Object(
  {
    ...ClientView.properties,
    secret: Type.String({ description: "Shown this once: HTTP Basic password / MQTT password" }),
  },
  { additionalProperties: false },
);
const Params = Type.Object({ id: Uuid });

export function registerTwinClientRoutes(
  root: FastifyInstance,
  platform: Platform,
  clients: TwinClients,
): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const base = "/api/operations/twin-clients";

  app.get(
    base,
    {
      schema: {
        operationId: "listTwinClients",
        tags: ["twin"],
        summary: "The devices and systems registered to call the twin",
        response: { 200: Type.Array(ClientView), ...problems(401, 403) },
      },
      config: { access: viewers },
    },
    async (req) => runRead(req, platform, (ctx) => listTwinClients(ctx)),
  );

  app.post(
    base,
    {
      schema: {
        operationId: "registerTwinClient",
        tags: ["twin"],
        summary:
          "Register a device (for its entities) or a system (reads the twin; mayWrite: updates attributes)",
        body: Type.Object(
          {
            name: Text(100),
            kind: StringEnum(["device", "system"] as const),
            entityIds: Type.Optional(EntityIds),
            mayWrite: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 201: WithSecret, ...problems(400, 401, 403) },
      },
      config: { access: admins },
    },
    async (req, reply) => runWrite(req, reply, platform, 201, (ctx) => registerTwinClient(ctx, req.body)),
  );

  app.patch(
    `${base}/:id`,
    {
      schema: {
        operationId: "updateTwinClient",
        tags: ["twin"],
        summary: "Rename, rebind a device, allow or forbid a system to write, disable or enable",
        params: Params,
        body: Type.Object(
          {
            name: Type.Optional(Text(100)),
            entityIds: Type.Optional(EntityIds),
            mayWrite: Type.Optional(Type.Boolean()),
            disabled: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: ClientView, ...problems(400, 401, 403, 404) },
      },
      config: { access: admins },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, (ctx) => updateTwinClient(ctx, req.params.id, req.body), {
        afterCommit: async () => clients.forget(req.params.id),
      }),
  );

  app.post(
    `${base}/:id/secret`,
    {
      schema: {
        operationId: "rotateTwinClientSecret",
        tags: ["twin"],
        summary: "Issue a new secret (shown this once); the old one stops working",
        params: Params,
        response: { 200: WithSecret, ...problems(400, 401, 403, 404) },
      },
      config: { access: admins },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, (ctx) => rotateTwinClientSecret(ctx, req.params.id), {
        afterCommit: async () => clients.forget(req.params.id),
      }),
  );
}
