import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { requestCtx } from "../http/context";
import { problems, StringEnum, Text, Uuid } from "../http/schemas";
import { runWrite } from "../http/write";
import type { Platform } from "../platform";
import { createDepartment, DEPARTMENT_KINDS, listDepartments, renameDepartment } from "./departments.service";

const Kind = StringEnum(DEPARTMENT_KINDS);
const DepartmentSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  kind: Kind,
  parentId: Type.Union([Type.String(), Type.Null()]),
  staffCount: Type.Integer(),
});

export function registerDepartmentRoutes(root: FastifyInstance, platform: Platform): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/api/admin/departments",
    {
      schema: {
        operationId: "listDepartments",
        tags: ["admin"],
        summary: "The whole organisation tree as a flat list (parentId links)",
        response: { 200: Type.Object({ items: Type.Array(DepartmentSchema) }), ...problems(401, 403) },
      },
      config: { access: { roles: ["admin"], scope: "district" } },
    },
    async (req) => ({ items: await listDepartments(requestCtx(req, platform.db, platform.clock)) }),
  );

  app.post(
    "/api/admin/departments",
    {
      schema: {
        operationId: "createDepartment",
        tags: ["admin"],
        body: Type.Object(
          {
            code: Type.String({ pattern: "^[0-9A-Za-z-]{2,40}$" }),
            name: Text(100),
            nameEn: Type.Optional(Text(200)),
            kind: Kind,
            parentId: Type.Union([Uuid, Type.Null()]),
            orgPrefix: Type.Optional(Text(10)),
          },
          { additionalProperties: false },
        ),
        response: { 201: DepartmentSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
      config: { access: { roles: ["admin"], scope: "district" } },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 201, (ctx) => createDepartment(ctx, req.body), {
        singleStatement: true,
      }),
  );

  app.patch(
    "/api/admin/departments/:id",
    {
      schema: {
        operationId: "renameDepartment",
        tags: ["admin"],
        params: Type.Object({ id: Uuid }),
        body: Type.Object(
          {
            name: Type.Optional(Text(100)),
            nameEn: Type.Optional(Type.Union([Text(200), Type.Null()], { description: "null clears it" })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: DepartmentSchema, ...problems(400, 401, 403, 404) },
      },
      config: { access: { roles: ["admin"], scope: "district" } },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, (ctx) => renameDepartment(ctx, req.params.id, req.body)),
  );
}
