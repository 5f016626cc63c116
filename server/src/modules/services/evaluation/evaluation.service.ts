import { eq } from "drizzle-orm";
import { appendAudit } from "../../../kernel/audit/audit";
import { rawQuery } from "../../../kernel/db/db";
import { newId } from "../../../kernel/db/ids";
import { publishEvent } from "../../../kernel/events/events";
import type { Ctx } from "../../../kernel/http/context";
import { AppError, HttpErrors } from "../../../kernel/http/errors";
import { findApplicationRow } from "../applications/applications.queries";
import { actorOf, getApplicationRow, isOwner, type ServicesDeps } from "../applications/applications.service";
import { ServicesErrors } from "../errors";
import { evaluations } from "../schema";

/** The five levels of 好差评 (GB/T 39734), best first. */
export const RATING_NAMES: Record<number, string> = {
  5: "非常满意",
  4: "满意",
  3: "基本满意",
  2: "不满意",
  1: "非常不满意",
};
/** Online indicators (GB/T 39735); offline channels use their own four. */
export const ONLINE_INDICATORS = ["overall", "efficiency", "guide", "convenience", "usability"] as const;
export const OFFLINE_INDICATORS = ["overall", "efficiency", "skill", "attitude"] as const;
const DEFAULT_RATING = 3;
const DECIDED = ["approved", "denied", "delivered", "not-accepted"];

async function windowOf(ctx: Ctx, acceptedBy: string | null) {
  if (!acceptedBy) return null;
  const [row] = await rawQuery<{ departmentId: string | null }>(
    ctx.tx,
    `select department_id as "departmentId" from identity.users where id = $1`,
    [acceptedBy],
  );
  return row?.departmentId ?? null;
}

/**
 * 好差评: the applicant rates a decided application once. A rating of 2 or less opens the
 * department's rectification (回访 → 核实 → 整改) on the workflow engine; the rater's name is not
 * part of it.
 */
export async function rateApplication(
  ctx: Ctx,
  deps: ServicesDeps,
  id: string,
  input: { rating: number; indicators: Record<string, number>; comment?: string | undefined },
) {
  const actor = actorOf(ctx);
  const row = await getApplicationRow(ctx, id, true);
  if (!isOwner(actor, row) || actor.kind === "staff")
    throw new AppError(HttpErrors.FORBIDDEN, { message: "Only the applicant rates the service" });
  if (!DECIDED.includes(row.status))
    throw new AppError(ServicesErrors.APPLICATION_WRONG_STATE, {
      message: "Rate once the application is decided",
    });
  if (row.rating !== null && !row.ratingDefault) throw new AppError(ServicesErrors.ALREADY_RATED);
  const allowed: readonly string[] = row.channel === "window" ? OFFLINE_INDICATORS : ONLINE_INDICATORS;
  const unknown = Object.keys(input.indicators).filter((k) => !allowed.includes(k));
  if (unknown.length > 0)
    throw new AppError(HttpErrors.VALIDATION_FAILED, {
      errors: unknown.map((k) => ({
        field: `/body/indicators/${k}`,
        message: `not an indicator of the ${row.channel} channel`,
      })),
    });
  const now = ctx.clock.now();
  const evaluationId = newId(now.getTime());
  // A default 基本满意 recorded by the job is replaced by the applicant's own late rating.
  await ctx.tx.delete(evaluations).where(eq(evaluations.applicationId, id));
  await ctx.tx.insert(evaluations).values({
    id: evaluationId,
    applicationId: id,
    itemId: row.itemId,
    departmentId: row.departmentId,
    windowDepartmentId: await windowOf(ctx, row.acceptedBy),
    channel: row.channel,
    rating: input.rating,
    indicators: input.indicators,
    comment: input.comment ?? "",
    raterUserId: actor.id,
    createdAt: now,
  });
  await appendAudit(ctx.tx, ctx, {
    action: "services.application.rated",
    resourceType: "application",
    resourceId: id,
    details: { rating: input.rating },
  });
  if (input.rating <= 2) {
    // Started by no one: the rater's name is not part of the department's work order.
    const instance = await deps.engine.start({ ...ctx, actor: null }, "service-rectification", {
      businessKey: evaluationId,
      variables: {
        title: `差评整改：${row.itemName}（${RATING_NAMES[input.rating]}）`,
        rating: input.rating,
        comment: input.comment ?? "",
        receiptNo: row.receiptNo,
        departmentGroups: [`leader@${row.departmentCode}`, `officer@${row.departmentCode}`],
        days: deps.rectificationDays,
      },
    });
    await ctx.tx
      .update(evaluations)
      .set({ rectificationInstanceId: instance.id })
      .where(eq(evaluations.id, evaluationId));
    await publishEvent(ctx.tx, "services.evaluation.bad", {
      evaluationId,
      applicationId: id,
      departmentId: row.departmentId,
      rating: input.rating,
    });
  }
  return (await findApplicationRow(ctx.tx, id))!;
}

/** The job at the end of the rating period: no rating counts as 基本满意. */
export async function recordDefaultEvaluation(ctx: Ctx, applicationId: string) {
  const row = await findApplicationRow(ctx.tx, applicationId, true);
  if (!row || row.rating !== null || !DECIDED.includes(row.status)) return;
  await ctx.tx
    .insert(evaluations)
    .values({
      id: newId(ctx.clock.now().getTime()),
      applicationId,
      itemId: row.itemId,
      departmentId: row.departmentId,
      windowDepartmentId: await windowOf(ctx, row.acceptedBy),
      channel: row.channel,
      rating: DEFAULT_RATING,
      indicators: {},
      isDefault: true,
      createdAt: ctx.clock.now(),
    })
    .onConflictDoNothing();
  await appendAudit(ctx.tx, ctx, {
    action: "services.application.rated",
    resourceType: "application",
    resourceId: applicationId,
    details: { rating: DEFAULT_RATING, default: true },
  });
}

/** Ratings per item, department and window; who rated is never part of it. */
export async function evaluationStats(ctx: Ctx) {
  const by = (column: string, join: string, name: string) =>
    rawQuery<{
      key: string;
      name: string;
      count: number;
      average: number;
      bad: number;
      defaults: number;
      levels: Record<string, number>;
    }>(
      ctx.tx,
      `select ${column}::text as key, ${name} as name, count(*)::int as count,
              round(avg(e.rating)::numeric, 2)::float as average,
              count(*) filter (where e.rating <= 2)::int as bad,
              count(*) filter (where e.is_default)::int as defaults,
              json_build_object('5', count(*) filter (where e.rating = 5), '4', count(*) filter (where e.rating = 4),
                '3', count(*) filter (where e.rating = 3), '2', count(*) filter (where e.rating = 2),
                '1', count(*) filter (where e.rating = 1)) as levels
         from services.evaluations e ${join}
        group by 1, 2 order by count desc, name limit 200`,
      [],
    );
  const items = await by(
    "e.item_id",
    "join services.items i on i.id = e.item_id join services.item_versions v on v.item_id = i.id and v.version = coalesce(i.published_version, i.latest_version)",
    "v.name",
  );
  const departments = await by(
    "e.department_id",
    "join identity.departments d on d.id = e.department_id",
    "d.name",
  );
  const windows = await by(
    "e.window_department_id",
    "join identity.departments d on d.id = e.window_department_id",
    "d.name",
  );
  return { items, departments, windows };
}
