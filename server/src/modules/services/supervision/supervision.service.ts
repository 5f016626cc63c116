import type { Actor } from "../../../kernel/access/actor";
import { rawQuery } from "../../../kernel/db/db";
import type { Ctx } from "../../../kernel/http/context";
import { LEVEL_SQL, listApplicationRows } from "../applications/applications.queries";
import { actorOf, applicationSummary, type ServicesDeps } from "../applications/applications.service";

/**
 * 电子监察 and 四少一快: open applications by warning colour, on-time rates, and how much the
 * platform saved the applicants (fields pre-filled, materials reused, visits, working days), per
 * department and per item. The district (admin, data bureau) and the window see every department;
 * others see their own department and what lies under it.
 */
function scopeSql(actor: Actor, params: unknown[]): string {
  const district = actor.roles.some((r) => r === "admin" || r === "databureau" || r === "clerk");
  if (district) return "true";
  const p = params.push(actor.departmentPath ?? "-");
  return `(d.path like $${p} || '%' or $${p} like d.path || '%')`;
}

const OPEN = "a.status in ('submitted', 'correction-requested', 'accepted')";
const DONE = "a.status in ('approved', 'denied', 'delivered', 'not-accepted')";

export async function supervisionBoard(ctx: Ctx, deps: ServicesDeps) {
  const actor = actorOf(ctx);
  const params: unknown[] = [];
  const scope = scopeSql(actor, params);
  const grouped = (key: string, name: string, join: string) =>
    rawQuery<{
      key: string;
      name: string;
      open: number;
      yellow: number;
      red: number;
      paused: number;
      done: number;
      onTime: number;
      onTimeRate: number | null;
    }>(
      ctx.tx,
      `select ${key}::text as key, ${name} as name,
              count(*) filter (where ${OPEN})::int as open,
              count(*) filter (where (${LEVEL_SQL}) = 'yellow')::int as yellow,
              count(*) filter (where (${LEVEL_SQL}) = 'red')::int as red,
              count(*) filter (where ${OPEN} and a.paused_since is not null)::int as paused,
              count(*) filter (where ${DONE})::int as done,
              count(*) filter (where ${DONE} and a.decided_at <= a.due_at)::int as "onTime",
              round(100.0 * count(*) filter (where ${DONE} and a.decided_at <= a.due_at)
                / nullif(count(*) filter (where ${DONE} and a.due_at is not null), 0), 1)::float as "onTimeRate"
         from services.applications a join identity.departments d on d.id = a.department_id ${join}
        where a.status <> 'draft' and ${scope}
        group by 1, 2 order by red desc, yellow desc, open desc, name limit 500`,
      params,
    );
  const departments = await grouped("a.department_id", "d.name", "");
  const items = await grouped(
    "a.item_id",
    "v.name",
    "join services.item_versions v on v.item_id = a.item_id and v.version = a.item_version",
  );
  const lists = async (level: "red" | "yellow") => {
    const { rows } = await listApplicationRows(ctx.tx, {
      statuses: ["submitted", "correction-requested", "accepted"],
      level,
      ...(scope === "true" ? {} : { departmentPathOf: actor.departmentPath ?? "-" }),
      limit: 50,
      offset: 0,
    });
    return rows.map((r) => applicationSummary(deps, actor, r, ctx.clock.now()));
  };
  const overdue = await lists("red");
  const dueSoon = await lists("yellow");
  const totals = departments.reduce(
    (t, d) => ({
      open: t.open + d.open,
      yellow: t.yellow + d.yellow,
      red: t.red + d.red,
      done: t.done + d.done,
      onTime: t.onTime + d.onTime,
    }),
    { open: 0, yellow: 0, red: 0, done: 0, onTime: 0 },
  );
  return { totals, departments, items, overdue, dueSoon };
}

/** 四少一快 per department and per item, over submitted applications. */
export async function serviceMetrics(ctx: Ctx) {
  const actor = actorOf(ctx);
  const params: unknown[] = [];
  const scope = scopeSql(actor, params);
  const grouped = (key: string, name: string, join: string) =>
    rawQuery<{
      key: string;
      name: string;
      applications: number;
      fieldsPrefilled: number;
      fieldsTyped: number;
      materialsReused: number;
      materialsUploaded: number;
      visits: number;
      zeroVisit: number;
      elapsedDays: number | null;
      promisedDays: number | null;
    }>(
      ctx.tx,
      `select ${key}::text as key, ${name} as name, count(*)::int as applications,
              sum(a.fields_prefilled)::int as "fieldsPrefilled", sum(a.fields_typed)::int as "fieldsTyped",
              sum(a.materials_reused)::int as "materialsReused", sum(a.materials_uploaded)::int as "materialsUploaded",
              sum(a.visits)::int as visits, count(*) filter (where a.visits = 0)::int as "zeroVisit",
              round(avg(a.elapsed_days)::numeric, 2)::float as "elapsedDays",
              round(avg(a.promised_days) filter (where a.elapsed_days is not null)::numeric, 2)::float as "promisedDays"
         from services.applications a join identity.departments d on d.id = a.department_id ${join}
        where a.status not in ('draft', 'withdrawn') and ${scope}
        group by 1, 2 order by applications desc, name limit 500`,
      params,
    );
  const departments = await grouped("a.department_id", "d.name", "");
  const items = await grouped(
    "a.item_id",
    "v.name",
    "join services.item_versions v on v.item_id = a.item_id and v.version = a.item_version",
  );
  return { departments, items };
}
