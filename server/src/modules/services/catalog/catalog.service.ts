import { appendAudit } from "../../../kernel/audit/audit";
import { rawQuery } from "../../../kernel/db/db";
import { newId } from "../../../kernel/db/ids";
import { publishEvent } from "../../../kernel/events/events";
import { actorOf, type Ctx } from "../../../kernel/http/context";
import { AppError, type FieldError, HttpErrors } from "../../../kernel/http/errors";
import { runsOf, searchTerms } from "../../../kernel/text/search";
import { fieldsOf } from "../../datahub";
import { ServicesErrors } from "../errors";
import { items, itemVersions } from "../schema";
import { findItemVersion, type ItemVersionRow, listItemVersions } from "./catalog.queries";
import { formProblem, prefillBindings } from "./forms";
import { LIFE_EVENTS, type LifeEvent, type ServiceItemSpec } from "./item";

export type ItemContent = Omit<ServiceItemSpec, "departmentKey">;

/** The rules an item must keep beyond its schema; each broken one names its field. */
export function itemProblems(spec: ItemContent, base = "/body"): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field: `${base}/${field}`, message });
  if (spec.promisedDays > spec.statutoryDays) err("promisedDays", "承诺时限不能长于法定时限");
  if (spec.fullyOnline && spec.visits > 0) err("visits", "全程网办事项到现场次数应为 0");
  if (spec.fullyOnline && spec.handlingForm === "window") err("handlingForm", "全程网办事项不能只在窗口办理");
  const codes = new Set<string>();
  spec.materials.forEach((m, i) => {
    if (codes.has(m.code)) err(`materials/${i}/code`, "材料编码重复");
    codes.add(m.code);
  });
  spec.lifeEvents.forEach((e, i) => {
    if (!(e in LIFE_EVENTS)) err(`lifeEvents/${i}`, `${e} is not a life event`);
  });
  const problem = formProblem(spec.form);
  if (problem) {
    err("form", problem);
    return errors;
  }
  const bindings = prefillBindings(spec.form);
  const single = spec.applicantTypes.length === 1 ? spec.applicantTypes[0] : null;
  for (const [property, { field }] of bindings) {
    const known = single ? new Set(fieldsOf(single === "person" ? "population" : "legalPerson")) : null;
    if (!known) err(`form/properties/${property}`, "x-prefill needs an item for one kind of applicant");
    else if (!known.has(field))
      err(`form/properties/${property}`, `${field} is not a field of the applicant's base`);
  }
  return errors;
}

function searchable(spec: ItemContent, departmentName: string) {
  const text = [
    spec.name,
    spec.code,
    spec.basicCode,
    spec.itemType,
    departmentName,
    spec.result.name,
    ...spec.lifeEvents.map((e) => LIFE_EVENTS[e as LifeEvent] ?? ""),
    ...spec.conditions,
  ].join(" ");
  return { searchTerms: searchTerms(text), searchText: runsOf(text).join(" ") };
}

/**
 * Puts an item on the list as a new draft version: a new item, or the next version of the item with
 * the same implementation code. The draft accepts no applications until it is published.
 */
export async function draftItem(
  ctx: Ctx,
  department: { id: string } | { code: string },
  spec: ItemContent,
): Promise<ItemVersionRow> {
  const errors = itemProblems(spec);
  if (errors.length > 0) throw new AppError(HttpErrors.VALIDATION_FAILED, { errors });
  const [unit] = await rawQuery<{ id: string; name: string; path: string }>(
    ctx.tx,
    `select id, name, path from identity.departments where ${"id" in department ? "id = $1" : "code = $1"}`,
    ["id" in department ? department.id : department.code],
  );
  if (!unit)
    throw new AppError(HttpErrors.VALIDATION_FAILED, {
      errors: [{ field: "/body/departmentCode", message: "no department has this code" }],
    });
  assertMayManage(ctx, unit.path);
  const departmentId = unit.id;
  const now = ctx.clock.now();
  const [existing] = await rawQuery<{ id: string; latestVersion: number; departmentId: string }>(
    ctx.tx,
    `select id, latest_version as "latestVersion", department_id as "departmentId"
       from services.items where code = $1 for update`,
    [spec.code],
  );
  if (existing && existing.departmentId !== departmentId)
    throw new AppError(ServicesErrors.SERVICE_CODE_TAKEN);
  const itemId = existing?.id ?? newId(now.getTime());
  const version = (existing?.latestVersion ?? 0) + 1;
  if (existing) {
    // An unpublished draft is replaced rather than piled up.
    const [draft] = await rawQuery<{ version: number }>(
      ctx.tx,
      "select version from services.item_versions where item_id = $1 and version = $2 and status = 'draft'",
      [itemId, existing.latestVersion],
    );
    if (draft) {
      await rawQuery(ctx.tx, "delete from services.item_versions where item_id = $1 and version = $2", [
        itemId,
        draft.version,
      ]);
      return insertVersion(ctx, itemId, draft.version, spec, unit.name, now);
    }
    await rawQuery(ctx.tx, "update services.items set latest_version = $2 where id = $1", [itemId, version]);
  } else {
    await ctx.tx.insert(items).values({
      id: itemId,
      code: spec.code,
      departmentId,
      latestVersion: version,
      createdBy: ctx.actor?.id ?? null,
      createdAt: now,
    });
  }
  return insertVersion(ctx, itemId, version, spec, unit.name, now);
}

async function insertVersion(
  ctx: Ctx,
  itemId: string,
  version: number,
  spec: ItemContent,
  departmentName: string,
  now: Date,
): Promise<ItemVersionRow> {
  await ctx.tx.insert(itemVersions).values({
    itemId,
    version,
    status: "draft",
    name: spec.name,
    itemType: spec.itemType,
    lifeEvents: spec.lifeEvents,
    applicantTypes: spec.applicantTypes,
    promisedDays: spec.promisedDays,
    statutoryDays: spec.statutoryDays,
    spec,
    ...searchable(spec, departmentName),
    createdBy: ctx.actor?.id ?? null,
    createdAt: now,
  });
  await appendAudit(ctx.tx, ctx, {
    action: "services.item.drafted",
    resourceType: "service-item",
    resourceId: itemId,
    details: { code: spec.code, version },
  });
  return (await findItemVersion(ctx.tx, itemId, version))!;
}

/** Items are managed by administrators, or by the implementing department's leaders and officers. */
function assertMayManage(ctx: Ctx, departmentPath: string) {
  const actor = actorOf(ctx);
  if (actor.roles.includes("admin")) return;
  const role = actor.roles.includes("leader") || actor.roles.includes("officer");
  if (!role || !actor.departmentPath?.startsWith(departmentPath))
    throw new AppError(HttpErrors.FORBIDDEN, {
      message: "Only the implementing department manages its items",
    });
}

/** Publishes the item's draft: it replaces the published version (which is kept, superseded). */
export async function publishItem(ctx: Ctx, itemId: string): Promise<ItemVersionRow> {
  const draft = await findItemVersion(ctx.tx, itemId, "latest");
  if (!draft) throw new AppError(ServicesErrors.SERVICE_NOT_FOUND);
  assertMayManage(ctx, draft.departmentPath);
  if (draft.status !== "draft") throw new AppError(ServicesErrors.NO_DRAFT);
  const now = ctx.clock.now();
  await rawQuery(
    ctx.tx,
    "update services.item_versions set status = 'superseded' where item_id = $1 and status = 'published'",
    [itemId],
  );
  await rawQuery(
    ctx.tx,
    "update services.item_versions set status = 'published', published_at = $3 where item_id = $1 and version = $2",
    [itemId, draft.version, now],
  );
  await rawQuery(ctx.tx, "update services.items set published_version = $2 where id = $1", [
    itemId,
    draft.version,
  ]);
  await appendAudit(ctx.tx, ctx, {
    action: "services.item.published",
    resourceType: "service-item",
    resourceId: itemId,
    details: { code: draft.code, version: draft.version },
  });
  await publishEvent(ctx.tx, "services.item.published", { itemId, version: draft.version });
  return (await findItemVersion(ctx.tx, itemId, draft.version))!;
}

/** Takes the item off the list: it accepts no applications, and none of it is accepted or approved. */
export async function withdrawItem(ctx: Ctx, itemId: string, reason: string): Promise<ItemVersionRow> {
  const published = await findItemVersion(ctx.tx, itemId);
  if (!published) throw new AppError(ServicesErrors.SERVICE_NOT_PUBLISHED);
  assertMayManage(ctx, published.departmentPath);
  await rawQuery(
    ctx.tx,
    "update services.item_versions set status = 'withdrawn', withdrawn_at = $3 where item_id = $1 and version = $2",
    [itemId, published.version, ctx.clock.now()],
  );
  await rawQuery(ctx.tx, "update services.items set published_version = null where id = $1", [itemId]);
  await appendAudit(ctx.tx, ctx, {
    action: "services.item.withdrawn",
    resourceType: "service-item",
    resourceId: itemId,
    details: { code: published.code, version: published.version, reason },
  });
  await publishEvent(ctx.tx, "services.item.withdrawn", { itemId, version: published.version });
  return (await findItemVersion(ctx.tx, itemId, published.version))!;
}

export function serviceSummary(row: ItemVersionRow) {
  const s = row.spec;
  return {
    id: row.id,
    code: row.code,
    basicCode: s.basicCode,
    name: row.name,
    itemType: row.itemType,
    department: { code: row.departmentCode, name: row.departmentName },
    lifeEvents: row.lifeEvents,
    applicantTypes: row.applicantTypes,
    promisedDays: row.promisedDays,
    statutoryDays: row.statutoryDays,
    visits: s.visits,
    fullyOnline: s.fullyOnline,
    handlingForm: s.handlingForm,
    feeFen: s.fee.amountFen,
    version: row.version,
  };
}

export function serviceDetail(row: ItemVersionRow) {
  const { form: _f, uiSchema: _u, ...s } = row.spec;
  return { ...s, ...serviceSummary(row), status: row.status, publishedAt: row.publishedAt };
}

/** A version staff may look at (any), or the published one (everyone else). */
export async function getItemVersion(
  ctx: Ctx,
  itemId: string,
  version?: number | "latest",
): Promise<ItemVersionRow> {
  const staff = ctx.actor?.kind === "staff";
  const row = await findItemVersion(ctx.tx, itemId, staff ? version : undefined);
  if (!row) throw new AppError(ServicesErrors.SERVICE_NOT_FOUND);
  return row;
}

export async function listVersions(ctx: Ctx, itemId: string) {
  return listItemVersions(ctx.tx, itemId);
}
