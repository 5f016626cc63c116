import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { queryRows } from "../db/db";
import { Page, PageQuery, problems } from "../http/schemas";
import type { Platform } from "../platform";
import { appendAudit, auditStatus, verifyAuditLog } from "./audit";

const RecordSchema = Type.Object({
  id: Type.String(),
  at: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  resourceType: Type.String(),
  resourceId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  leafIndex: Type.Union([Type.Integer(), Type.Null()]),
});
const admin = { roles: ["admin"] as const, scope: "district" as const };

export function registerAuditRoutes(root: FastifyInstance, platform: Platform): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/api/admin/audit",
    {
      schema: {
        operationId: "searchAuditLog",
        tags: ["admin", "audit"],
        querystring: Type.Object(
          {
            action: Type.Optional(Type.String({ maxLength: 100 })),
            actor: Type.Optional(Type.String({ maxLength: 100, description: "actor id, username or name" })),
            outcome: Type.Optional(
              Type.Union([Type.Literal("success"), Type.Literal("failure"), Type.Literal("denied")]),
            ),
            from: Type.Optional(Type.String({ format: "date-time" })),
            to: Type.Optional(Type.String({ format: "date-time" })),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(RecordSchema), ...problems(400, 401, 403) },
      },
      config: { access: admin },
    },
    async (req) => {
      const q = req.query;
      const page = q.page ?? 1;
      const pageSize = q.pageSize ?? 20;
      const conditions = [sql`true`];
      if (q.action) conditions.push(sql`r.action like ${`${q.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
      if (q.outcome) conditions.push(sql`r.outcome = ${q.outcome}`);
      if (q.from) conditions.push(sql`r.at >= ${q.from}`);
      if (q.to) conditions.push(sql`r.at < ${q.to}`);
      if (q.actor) {
        conditions.push(sql`(r.actor_id::text = ${q.actor} or r.actor_name = ${q.actor}
          or r.actor_id in (select id from identity.users where username = ${q.actor}))`);
      }
      const where = sql.join(conditions, sql` and `);
      const items = await queryRows<Static<typeof RecordSchema>>(
        platform.db,
        sql`select r.id::text as id, to_char(r.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at,
              r.actor_id as "actorId", r.actor_name as "actorName", r.action, r.resource_type as "resourceType",
              r.resource_id as "resourceId", r.outcome, r.ip, r.request_id as "requestId", r.leaf_index::int as "leafIndex"
            from audit.records r where ${where} order by r.id desc limit ${pageSize} offset ${(page - 1) * pageSize}`,
      );
      const [count] = await queryRows<{ n: number }>(
        platform.db,
        sql`select count(*)::int as n from audit.records r where ${where}`,
      );
      return { items, total: count?.n ?? 0 };
    },
  );

  const StatusSchema = Type.Object({
    treeSize: Type.Integer(),
    unsealed: Type.Integer(),
    rootHash: Type.Union([Type.String(), Type.Null()]),
    signedAt: Type.Union([Type.String(), Type.Null()]),
    keyId: Type.Union([Type.String(), Type.Null()]),
  });

  app.get(
    "/api/admin/audit/status",
    {
      schema: {
        operationId: "getAuditStatus",
        tags: ["admin", "audit"],
        summary: "The latest signed tree head and how many records await sealing",
        response: { 200: StatusSchema, ...problems(401, 403) },
      },
      config: { access: admin },
    },
    async () => auditStatus(platform.db),
  );

  app.post(
    "/api/admin/audit/verify",
    {
      schema: {
        operationId: "verifyAuditLog",
        tags: ["admin", "audit"],
        summary: "Recompute every leaf, root and signature of the audit log",
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            treeSize: Type.Integer(),
            checkedRecords: Type.Integer(),
            checkedHeads: Type.Integer(),
            unsealed: Type.Integer(),
            problems: Type.Array(Type.String()),
            verifiedAt: Type.String(),
          }),
          ...problems(401, 403),
        },
      },
      config: { access: admin },
    },
    async (req) => {
      const report = await verifyAuditLog(platform.db);
      await platform.db.transaction((tx) =>
        appendAudit(
          tx,
          { actor: req.actor, ip: req.ip, requestId: req.id, clock: platform.clock },
          {
            action: "audit.log.verified",
            resourceType: "audit_log",
            outcome: report.ok ? "success" : "failure",
            details: { treeSize: report.treeSize, problems: report.problems.length },
          },
        ),
      );
      return { ...report, verifiedAt: platform.clock.now().toISOString() };
    },
  );
}
