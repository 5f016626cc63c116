import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { STAFF_ROLES } from "../../kernel/access/roles";
import { appendAudit } from "../../kernel/audit/audit";
import { shanghaiDate } from "../../kernel/calendar/calendar";
import { rawQuery } from "../../kernel/db/db";
import { AppError, HttpErrors } from "../../kernel/http/errors";
import { PageQuery, problems, Uuid } from "../../kernel/http/schemas";
import { runRead } from "../../kernel/http/write";
import type { Platform } from "../../kernel/platform";
import { actorOf, isDataBureau, unitOfActor } from "./org";

const DATE = "^\\d{4}-\\d{2}-\\d{2}$";

/** Usage statistics ("shared N times") and the citizen's view of who used their data. */
export function registerUsageRoutes(root: FastifyInstance, platform: Platform): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    "/api/datahub/usage",
    {
      schema: {
        operationId: "getUsageStats",
        tags: ["datahub"],
        summary:
          "Gateway calls per day, resource and consumer (my department as provider or consumer; the data bureau: all)",
        querystring: Type.Object({
          from: Type.Optional(Type.String({ pattern: DATE })),
          to: Type.Optional(Type.String({ pattern: DATE })),
          resourceId: Type.Optional(Uuid),
        }),
        response: {
          200: Type.Object({
            total: Type.Object({ calls: Type.Integer(), records: Type.Integer(), refused: Type.Integer() }),
            byDay: Type.Array(
              Type.Object({
                day: Type.String(),
                calls: Type.Integer(),
                records: Type.Integer(),
                refused: Type.Integer(),
              }),
            ),
            byResource: Type.Array(
              Type.Object({ resourceId: Type.String(), resourceName: Type.String(), calls: Type.Integer() }),
            ),
            byConsumer: Type.Array(
              Type.Object({
                departmentId: Type.String(),
                departmentName: Type.String(),
                calls: Type.Integer(),
              }),
            ),
          }),
          ...problems(400, 401, 403),
        },
      },
      config: { access: { roles: STAFF_ROLES, scope: "department" } },
    },
    async (req) =>
      runRead(req, platform, async (ctx) => {
        const actor = actorOf(ctx);
        const today = shanghaiDate(ctx.clock.now());
        const to = req.query.to ?? today;
        const from =
          req.query.from ?? shanghaiDate(new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000));
        const params: unknown[] = [from, to];
        const where = ["u.day between $1::date and $2::date"];
        if (req.query.resourceId) where.push(`u.resource_id = $${params.push(req.query.resourceId)}`);
        if (!isDataBureau(actor)) {
          const unit = await unitOfActor(ctx);
          where.push(
            `(u.consumer_department_id = $${params.push(unit.id)} or r.provider_department_id = $${params.length})`,
          );
        }
        const base = `from datahub.usage_daily u join datahub.resources r on r.id = u.resource_id where ${where.join(" and ")}`;
        const [byDay, byResource, byConsumer] = await Promise.all([
          rawQuery<{ day: string; calls: number; records: number; refused: number }>(
            ctx.tx,
            `select to_char(u.day, 'YYYY-MM-DD') as day, sum(u.calls)::int as calls, sum(u.records)::int as records,
               sum(u.refused)::int as refused ${base} group by u.day order by u.day`,
            params,
          ),
          rawQuery<{ resourceId: string; resourceName: string; calls: number }>(
            ctx.tx,
            `select u.resource_id as "resourceId", r.name as "resourceName", sum(u.calls)::int as calls ${base}
             group by u.resource_id, r.name order by calls desc limit 20`,
            params,
          ),
          rawQuery<{ departmentId: string; departmentName: string; calls: number }>(
            ctx.tx,
            `select u.consumer_department_id as "departmentId", d.name as "departmentName", sum(u.calls)::int as calls
             ${base.replace("where", "join identity.departments d on d.id = u.consumer_department_id where")}
             group by u.consumer_department_id, d.name order by calls desc limit 20`,
            params,
          ),
        ]);
        const sum = (k: "calls" | "records" | "refused") => byDay.reduce((n, d) => n + d[k], 0);
        return {
          total: { calls: sum("calls"), records: sum("records"), refused: sum("refused") },
          byDay,
          byResource,
          byConsumer,
        };
      }),
  );

  app.get(
    "/api/datahub/my-data-uses",
    {
      schema: {
        operationId: "listMyDataUses",
        tags: ["datahub"],
        summary:
          "Every use of my personal data through the gateway and pre-fill: who, when, which fields, why",
        querystring: Type.Object(PageQuery),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                at: Type.String(),
                channel: Type.String(),
                departmentName: Type.String(),
                resourceName: Type.String(),
                fields: Type.Array(Type.String()),
                purpose: Type.String(),
              }),
            ),
            total: Type.Integer(),
          }),
          ...problems(400, 401, 403),
        },
      },
      config: { access: { roles: ["citizen"], scope: "own" } },
    },
    async (req) =>
      runRead(req, platform, async (ctx) => {
        const actor = actorOf(ctx);
        if (!actor.citizenId)
          throw new AppError(HttpErrors.FORBIDDEN, { message: "The account is not a citizen's" });
        const pageSize = req.query.pageSize ?? 20;
        const offset = ((req.query.page ?? 1) - 1) * pageSize;
        const rows = await rawQuery<{
          id: string;
          at: string;
          channel: string;
          departmentName: string | null;
          resourceName: string | null;
          fields: string[];
          items: { name: string; title: string }[] | string | null;
          purpose: string;
          total: number;
        }>(
          ctx.tx,
          `select u.id::text, to_char(u.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, u.channel,
             d.name as "departmentName", r.name as "resourceName", u.fields, r.items, u.purpose,
             count(*) over ()::int as total
           from datahub.data_uses u left join identity.departments d on d.id = u.department_id
             left join datahub.resources r on r.id = u.resource_id
           where u.citizen_id = $1 order by u.at desc limit ${pageSize} offset ${offset}`,
          [actor.citizenId],
        );
        await appendAudit(ctx.tx, ctx, {
          action: "read",
          resourceType: "data-use-log",
          resourceId: actor.citizenId,
          details: { count: rows.length },
        });
        return {
          items: rows.map((r) => {
            const items =
              typeof r.items === "string"
                ? (JSON.parse(r.items) as { name: string; title: string }[])
                : (r.items ?? []);
            return {
              id: r.id,
              at: r.at,
              channel: r.channel,
              departmentName: r.departmentName ?? "",
              resourceName: r.resourceName ?? "",
              fields: r.fields.map((f) => items.find((i) => i.name === f)?.title ?? f),
              purpose: r.purpose,
            };
          }),
          total: rows[0]?.total ?? 0,
        };
      }),
  );
}
