import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { ROLE_INFO, ROLES, STAFF_ROLES } from "../access/roles";
import { requestCtx } from "../http/context";
import { Page, PageQuery, problems, StringEnum, Text, Uuid } from "../http/schemas";
import { runWrite } from "../http/write";
import type { Platform } from "../platform";
import { generatePassword, hashPassword } from "./passwords";
import { createStaff, getStaff, searchStaff, setStaffRoles, unlockStaff } from "./staff.service";

const StaffRole = StringEnum(STAFF_ROLES);
const StaffSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  departmentId: Type.Union([Type.String(), Type.Null()]),
  departmentName: Type.Union([Type.String(), Type.Null()]),
  position: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(Type.String()),
  locked: Type.Boolean(),
  disabled: Type.Boolean(),
});
const admin = { roles: ["admin"] as const, scope: "district" as const };

export function registerStaffRoutes(root: FastifyInstance, platform: Platform): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/api/admin/staff",
    {
      schema: {
        operationId: "searchStaff",
        tags: ["admin"],
        querystring: Type.Object(
          {
            departmentId: Type.Optional(Uuid),
            q: Type.Optional(Type.String({ maxLength: 50 })),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(StaffSchema), ...problems(400, 401, 403) },
      },
      config: { access: admin },
    },
    async (req) =>
      searchStaff(requestCtx(req, platform.db, platform.clock), {
        ...req.query,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      }),
  );

  app.get(
    "/api/admin/staff/:id",
    {
      schema: {
        operationId: "getStaff",
        tags: ["admin"],
        params: Type.Object({ id: Uuid }),
        response: { 200: StaffSchema, ...problems(401, 403, 404) },
      },
      config: { access: admin },
    },
    async (req) => getStaff(requestCtx(req, platform.db, platform.clock), req.params.id),
  );

  app.post(
    "/api/admin/staff",
    {
      schema: {
        operationId: "createStaff",
        tags: ["admin"],
        summary: "Create a staff account; the one-time password and TOTP secret are returned once",
        body: Type.Object(
          {
            username: Type.String({ pattern: "^[a-z][a-z0-9._-]{2,31}$" }),
            displayName: Text(50),
            departmentId: Uuid,
            position: Text(50),
            roles: Type.Array(StaffRole, { minItems: 1, maxItems: 9, uniqueItems: true }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            staff: StaffSchema,
            initialPassword: Type.String(),
            totpSecret: Type.String(),
            totpUri: Type.String(),
          }),
          ...problems(400, 401, 403, 404, 409, 422),
        },
      },
      config: { access: admin },
    },
    async (req, reply) => {
      // Hashing is slow on purpose; do it before the transaction opens.
      const initialPassword = generatePassword();
      const passwordHash = await hashPassword(initialPassword);
      reply.header("cache-control", "no-store");
      return runWrite(req, reply, platform, 201, (ctx) =>
        createStaff(ctx, req.body, { masterKey: platform.masterKey, initialPassword, passwordHash }),
      );
    },
  );

  app.put(
    "/api/admin/staff/:id/roles",
    {
      schema: {
        operationId: "setStaffRoles",
        tags: ["admin"],
        params: Type.Object({ id: Uuid }),
        body: Type.Object(
          { roles: Type.Array(StaffRole, { minItems: 1, maxItems: 9, uniqueItems: true }) },
          { additionalProperties: false },
        ),
        response: { 200: StaffSchema, ...problems(400, 401, 403, 404, 422) },
      },
      config: { access: admin },
    },
    async (req, reply) => {
      return runWrite(req, reply, platform, 200, (ctx) => setStaffRoles(ctx, req.params.id, req.body.roles), {
        afterCommit: async () => platform.sessions.forgetUser(req.params.id),
      });
    },
  );

  app.post(
    "/api/admin/staff/:id/unlock",
    {
      schema: {
        operationId: "unlockStaff",
        tags: ["admin"],
        params: Type.Object({ id: Uuid }),
        response: { 200: StaffSchema, ...problems(401, 403, 404) },
      },
      config: { access: admin },
    },
    async (req, reply) => runWrite(req, reply, platform, 200, (ctx) => unlockStaff(ctx, req.params.id)),
  );

  app.get(
    "/api/admin/roles",
    {
      schema: {
        operationId: "listRoles",
        tags: ["admin"],
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                code: Type.String(),
                scope: Type.String(),
                portals: Type.Array(Type.String()),
                staff: Type.Boolean(),
              }),
            ),
          }),
          ...problems(401, 403),
        },
      },
      config: { access: admin },
    },
    async () => ({ items: ROLES.map((code) => ({ code, ...ROLE_INFO[code] })) }),
  );
}
