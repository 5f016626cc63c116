import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { STAFF_ROLES } from "../../../kernel/access/roles";
import { requestCtx } from "../../../kernel/http/context";
import { Page, PageQuery, problems, StringEnum, Text, Uuid } from "../../../kernel/http/schemas";
import { runWrite } from "../../../kernel/http/write";
import type { Platform } from "../../../kernel/platform";
import { listNotices, markNoticeRead, PUBLISHING_ROLES, publishNotice } from "./notices.service";

const Ref = Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]);
const Nullable = Type.Union([Type.String(), Type.Null()]);
const Notice = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: "announcement (通知公告), document_distributed, supervision_due, …" }),
  title: Type.String(),
  body: Type.String(),
  link: Nullable,
  sourceType: Nullable,
  sourceId: Nullable,
  audience: Type.String({ description: "personal | department | district" }),
  department: Ref,
  publishedBy: Ref,
  createdAt: Type.String(),
  readAt: Nullable,
});
/** A path inside the web app (never another site). */
const WebPath = Type.String({ pattern: "^/(?![/\\\\])\\S{0,499}$", description: "a path in the web app" });
const staff = { roles: STAFF_ROLES, scope: "own" as const };

/** 通知公告 and personal notifications: my notices, marking them read, publishing one. */
export function registerNoticeRoutes(root: FastifyInstance, platform: Platform): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/api/office/notices",
    {
      schema: {
        operationId: "listNotices",
        tags: ["office"],
        summary: "My notices: unread first, newest first",
        querystring: Type.Object(
          { unread: Type.Optional(Type.Boolean({ description: "only unread ones" })), ...PageQuery },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            ...Page(Notice).properties,
            unread: Type.Integer({ description: "how many of mine are unread" }),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          ...problems(400, 401, 403),
        },
      },
      config: { access: staff },
    },
    async (req) =>
      listNotices(
        requestCtx(req, platform.db, platform.clock),
        { unreadOnly: req.query.unread ?? false },
        req.query.page ?? 1,
        req.query.pageSize ?? 20,
      ),
  );

  app.post(
    "/api/office/notices/:id/read",
    {
      schema: {
        operationId: "markNoticeRead",
        tags: ["office"],
        summary: "Mark one of my notices read (again: keeps the first time)",
        params: Type.Object({ id: Uuid }),
        response: { 200: Notice, ...problems(400, 401, 403, 404) },
      },
      config: { access: staff },
    },
    async (req, reply) => runWrite(req, reply, platform, 200, (ctx) => markNoticeRead(ctx, req.params.id)),
  );

  app.post(
    "/api/office/notices",
    {
      schema: {
        operationId: "publishNotice",
        tags: ["office"],
        summary: "Publish a 通知公告 to a department (with its sub-departments) or the whole district",
        body: Type.Object(
          {
            audience: StringEnum(["department", "district"] as const),
            departmentId: Type.Optional(Uuid),
            title: Text(200),
            body: Text(20_000),
            link: Type.Optional(WebPath),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ id: Type.String(), recipients: Type.Integer() }),
          ...problems(400, 401, 403, 404, 422),
        },
      },
      config: { access: { roles: PUBLISHING_ROLES, scope: "subtree" } },
    },
    async (req, reply) => runWrite(req, reply, platform, 201, (ctx) => publishNotice(ctx, req.body)),
  );
}
