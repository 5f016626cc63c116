import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { STAFF_ROLES } from "../../../kernel/access/roles";
import { problems, StringEnum, Text, Uuid } from "../../../kernel/http/schemas";
import { runRead, runWrite } from "../../../kernel/http/write";
import type { Platform } from "../../../kernel/platform";
import type { Notifier } from "../notify";
import {
  ASSIGNING_ROLES,
  createSupervisionItem,
  getSupervisionItem,
  listSupervisionItems,
  reportSupervisionProgress,
  SOURCE_TYPES,
  supervisionBoard,
} from "./supervision.service";

const Lights = ["red", "yellow", "green", "done"] as const;
const Item = Type.Object(
  {
    id: Uuid,
    title: Type.String(),
    status: Type.String(),
    dueAt: Type.String(),
    light: StringEnum(Lights),
    progress: Type.Integer(),
    leadDepartmentId: Type.String(),
    leadDepartmentName: Type.String(),
  },
  { additionalProperties: true },
);
const staff = { roles: STAFF_ROLES, scope: "department" as const };

export function registerSupervisionRoutes(root: FastifyInstance, platform: Platform, notify: Notifier): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const calendar = () => platform.calendar.current;

  app.post(
    "/api/office/supervision",
    {
      schema: {
        operationId: "createSupervisionItem",
        tags: ["office"],
        summary: "督办: assign an item to a lead department (and co-owners) with a deadline and report cycle",
        body: Type.Object(
          {
            title: Text(200),
            description: Type.String({ minLength: 1, maxLength: 5000 }),
            sourceType: StringEnum(SOURCE_TYPES, {
              description: "instruction (领导批示), document, meeting, case",
            }),
            sourceRef: Type.Optional(
              Text(200, { description: "document id, case number, meeting reference" }),
            ),
            leadDepartmentId: Uuid,
            coDepartmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 30, uniqueItems: true })),
            dueAt: Type.Optional(Type.String({ format: "date-time" })),
            dueInWorkingDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 250 })),
            reportEveryDays: Type.Optional(
              Type.Union([Type.Integer({ minimum: 1, maximum: 60 }), Type.Null()]),
            ),
            remindDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Item, ...problems(400, 401, 403) },
      },
      config: { access: { roles: ASSIGNING_ROLES, scope: "subtree" } },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 201, (ctx) => createSupervisionItem(ctx, calendar(), notify, req.body)),
  );

  app.get(
    "/api/office/supervision",
    {
      schema: {
        operationId: "listSupervisionItems",
        tags: ["office"],
        summary: "Supervision items of my department (leaders: their subtree), open ones first by deadline",
        querystring: Type.Object({
          status: Type.Optional(StringEnum(["open", "completed"] as const)),
          light: Type.Optional(StringEnum(Lights)),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        }),
        response: { 200: Type.Array(Item), ...problems(400, 401, 403) },
      },
      config: { access: staff },
    },
    async (req) =>
      runRead(req, platform, (ctx) =>
        listSupervisionItems(ctx, calendar(), { ...req.query, limit: req.query.limit ?? 100 }),
      ),
  );

  app.get(
    "/api/office/supervision/board",
    {
      schema: {
        operationId: "getSupervisionBoard",
        tags: ["office"],
        summary:
          "The red/yellow/green board: counts overall and per lead department, and what needs attention",
        response: {
          200: Type.Object({
            totals: Type.Record(Type.String(), Type.Integer()),
            departments: Type.Array(Type.Object({}, { additionalProperties: true })),
            attention: Type.Array(Item),
          }),
          ...problems(401, 403),
        },
      },
      config: { access: staff },
    },
    async (req) => runRead(req, platform, (ctx) => supervisionBoard(ctx, calendar())),
  );

  app.get(
    "/api/office/supervision/:id",
    {
      schema: {
        operationId: "getSupervisionItem",
        tags: ["office"],
        summary: "A supervision item with its progress reports",
        params: Type.Object({ id: Uuid }),
        response: { 200: Item, ...problems(400, 401, 403, 404) },
      },
      config: { access: staff },
    },
    async (req) => runRead(req, platform, (ctx) => getSupervisionItem(ctx, calendar(), req.params.id)),
  );

  app.post(
    "/api/office/supervision/:id/reports",
    {
      schema: {
        operationId: "reportSupervisionProgress",
        tags: ["office"],
        summary: "Report progress (an owner department); the lead department closes the item with completes",
        params: Type.Object({ id: Uuid }),
        body: Type.Object(
          {
            progress: Type.Integer({ minimum: 0, maximum: 100 }),
            text: Type.String({ minLength: 1, maxLength: 5000 }),
            completes: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 201: Item, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: staff },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 201, (ctx) =>
        reportSupervisionProgress(ctx, calendar(), notify, req.params.id, req.body),
      ),
  );
}
