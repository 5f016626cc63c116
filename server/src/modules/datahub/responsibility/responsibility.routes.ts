import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { STAFF_ROLES } from "../../../kernel/access/roles";
import { problems, StringEnum, Text, Uuid } from "../../../kernel/http/schemas";
import { runRead, runWrite } from "../../../kernel/http/write";
import type { Platform } from "../../../kernel/platform";
import {
  assignResponsibility,
  BASES,
  listErrorReports,
  listResponsibilities,
  releaseResponsibility,
  reportDataError,
} from "./responsibility.service";

const Responsibility = Type.Object({
  base: StringEnum(BASES),
  field: Type.String(),
  title: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
});
const Report = Type.Object({ id: Uuid, status: Type.String() }, { additionalProperties: true });
const FIELD = Type.String({ pattern: "^[a-zA-Z][a-zA-Z0-9]{0,63}$" });
const staff = { roles: STAFF_ROLES, scope: "department" as const };
const bureau = { roles: ["databureau", "admin"] as const, scope: "district" as const };

export function registerResponsibilityRoutes(root: FastifyInstance, platform: Platform): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const engine = platform.workflow;

  app.get(
    "/api/datahub/responsibilities",
    {
      schema: {
        operationId: "listResponsibilities",
        tags: ["datahub"],
        summary: "数源责任清单: the authoritative department of each population and legal-person base field",
        querystring: Type.Object({ base: Type.Optional(StringEnum(BASES)) }),
        response: { 200: Type.Array(Responsibility), ...problems(400, 401, 403) },
      },
      config: { access: staff },
    },
    async (req) => runRead(req, platform, (ctx) => listResponsibilities(ctx, req.query.base)),
  );

  app.post(
    "/api/datahub/responsibilities",
    {
      schema: {
        operationId: "assignResponsibility",
        tags: ["datahub"],
        summary:
          "Name the authoritative department of a field; a field held by another department is a conflict (409)",
        body: Type.Object(
          { base: StringEnum(BASES), field: FIELD, title: Text(100), departmentId: Uuid },
          { additionalProperties: false },
        ),
        response: { 201: Responsibility, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: bureau },
    },
    async (req, reply) => runWrite(req, reply, platform, 201, (ctx) => assignResponsibility(ctx, req.body)),
  );

  app.delete(
    "/api/datahub/responsibilities/:base/:field",
    {
      schema: {
        operationId: "releaseResponsibility",
        tags: ["datahub"],
        summary: "Release a field so that another department can be named",
        params: Type.Object({ base: StringEnum(BASES), field: FIELD }),
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
      config: { access: bureau },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 204, (ctx) =>
        releaseResponsibility(ctx, req.params.base, req.params.field),
      ),
  );

  app.post(
    "/api/datahub/error-reports",
    {
      schema: {
        operationId: "reportDataError",
        tags: ["datahub"],
        summary:
          "数据纠错: report a value as wrong; the authoritative department answers within its deadline",
        body: Type.Object(
          {
            resourceId: Uuid,
            recordKey: Type.String({ minLength: 1, maxLength: 64 }),
            item: Type.String({ minLength: 1, maxLength: 64 }),
            correctValue: Text(1000),
            reason: Text(2000),
          },
          { additionalProperties: false },
        ),
        response: { 201: Report, ...problems(400, 401, 403, 404) },
      },
      config: { access: staff },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 201, (ctx) =>
        reportDataError(ctx, engine, platform.config.datahub.errorReportDays, req.body),
      ),
  );

  app.get(
    "/api/datahub/error-reports",
    {
      schema: {
        operationId: "listErrorReports",
        tags: ["datahub"],
        summary: "Error reports I made (mine) or my department must answer (assigned)",
        querystring: Type.Object({
          box: Type.Optional(StringEnum(["mine", "assigned"] as const)),
          status: Type.Optional(StringEnum(["open", "accepted", "rejected"] as const)),
        }),
        response: { 200: Type.Array(Report), ...problems(400, 401, 403) },
      },
      config: { access: staff },
    },
    async (req) =>
      runRead(req, platform, (ctx) =>
        listErrorReports(ctx, engine, { box: req.query.box ?? "mine", status: req.query.status }),
      ),
  );
}
