import { eq, sql } from "drizzle-orm";
import { appendAudit } from "../../../kernel/audit/audit";
import { shanghaiDate } from "../../../kernel/calendar/calendar";
import { rawQuery } from "../../../kernel/db/db";
import { newId } from "../../../kernel/db/ids";
import { publishEvent } from "../../../kernel/events/events";
import type { Ctx } from "../../../kernel/http/context";
import { AppError, type FieldError, HttpErrors } from "../../../kernel/http/errors";
import { queryWords, runsOf, searchTerms } from "../../../kernel/text/search";
import { DatahubErrors } from "../errors";
import { actorOf, findUnit, getUnit, isDataBureau, type Unit, unitOfActor } from "../org";
import { resources, resourceVersions } from "../schema";
import {
  type CatalogQuery,
  FACETS,
  type Facet,
  findResourceRow,
  nextSeq,
  type ResourceRow,
  type ResourceSummaryRow,
  searchResourceRows,
  similarResourceRows,
} from "./catalog.queries";
import {
  CATEGORIES,
  GRADE_NAMES,
  GRADES,
  type Grade,
  OPEN_TYPE_NAMES,
  type ResourceInput,
  type ResourceView,
  SHARING_METHOD_NAMES,
  SHARING_TYPE_NAMES,
  UPDATE_CYCLE_NAMES,
} from "./catalog.types";

const CATEGORY_NAMES = new Map(CATEGORIES.map((c) => [c.code, c.name]));
const CODE_PATTERN = /^(\d{3})\/(\d{6})$/;

export function resourceView(row: ResourceRow): ResourceView {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    summary: row.summary,
    categoryCode: row.categoryCode,
    categoryName: CATEGORY_NAMES.get(row.categoryCode) ?? row.categoryCode,
    providerDepartmentId: row.providerDepartmentId,
    providerDepartmentName: row.providerDepartmentName,
    providerDepartmentCode: row.providerDepartmentCode,
    format: row.format,
    sharingType: row.sharingType,
    sharingCondition: row.sharingCondition,
    sharingBasis: row.sharingBasis,
    sharingMethod: row.sharingMethod,
    openType: row.openType,
    updateCycle: row.updateCycle,
    keyItem: row.keyItem,
    relatedCodes: row.relatedCodes,
    items: row.items,
    grade: row.grade,
    status: row.status,
    publishedOn: row.publishedOn,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    recordCount: row.recordCount,
    sharedCount: row.sharedCount,
  };
}

/** The grade of a resource: the highest of its items (就高从严). */
export function gradeOf(items: { grade: Grade }[]): Grade {
  return GRADES[Math.max(0, ...items.map((i) => GRADES.indexOf(i.grade)))]!;
}

function validate(input: ResourceInput): void {
  const errors: FieldError[] = [];
  if (!CATEGORY_NAMES.has(input.categoryCode))
    errors.push({ field: "/body/categoryCode", message: "is not a category of the catalog" });
  if (input.code !== undefined) {
    const match = CODE_PATTERN.exec(input.code);
    if (!match || match[1] !== input.categoryCode)
      errors.push({ field: "/body/code", message: "must be the category code, a slash and six digits" });
  }
  const names = new Set<string>();
  input.items.forEach((item, i) => {
    if (names.has(item.name)) errors.push({ field: `/body/items/${i}/name`, message: "repeats an item" });
    names.add(item.name);
    if (item.sensitive && !item.personal)
      errors.push({
        field: `/body/items/${i}/personal`,
        message: "sensitive personal information is personal",
      });
  });
  if (!names.has(input.keyItem)) errors.push({ field: "/body/keyItem", message: "must be one of the items" });
  if (input.sharingType !== "unconditional" && !input.sharingBasis?.trim())
    errors.push({
      field: "/body/sharingBasis",
      message: "有条件共享 and 不予共享 need a basis in law or policy",
    });
  if (input.sharingType === "conditional" && !input.sharingCondition?.trim())
    errors.push({ field: "/body/sharingCondition", message: "a conditional resource states its condition" });
  if (errors.length > 0) throw new AppError(HttpErrors.VALIDATION_FAILED, { errors });
}

function searchable(input: ResourceInput, code: string, provider: Unit) {
  const text = [input.name, code, provider.name, input.summary, ...input.items.map((i) => i.title)].join(" ");
  return { searchTerms: searchTerms(text), searchText: runsOf(text).join(" ") };
}

/** Who may change a resource: its provider's data officers and leaders, and the data bureau. */
function mayEdit(ctx: Ctx, row: { providerDepartmentPath: string }): boolean {
  const actor = actorOf(ctx);
  if (isDataBureau(actor)) return true;
  return (
    (actor.roles.includes("dataofficer") || actor.roles.includes("leader")) &&
    !!actor.departmentPath?.startsWith(row.providerDepartmentPath)
  );
}

export async function getResourceRow(ctx: Ctx, id: string, lock = false): Promise<ResourceRow> {
  const row = await findResourceRow(ctx.tx, id, lock);
  if (!row) throw new AppError(DatahubErrors.RESOURCE_NOT_FOUND);
  return row;
}

/** Registers a resource of the caller's unit (the data bureau may name the provider). */
export async function createResource(
  ctx: Ctx,
  input: ResourceInput & { providerDepartmentId?: string | undefined },
): Promise<ResourceView> {
  const actor = actorOf(ctx);
  validate(input);
  let provider: Unit;
  if (input.providerDepartmentId && input.providerDepartmentId !== actor.departmentId) {
    if (!isDataBureau(actor)) throw new AppError(DatahubErrors.NOT_PROVIDER);
    provider = (await findUnit(ctx.tx, (await getUnit(ctx.tx, input.providerDepartmentId)).id))!;
  } else provider = await unitOfActor(ctx);
  const seq = input.code ? Number(input.code.slice(4)) : await nextSeq(ctx.tx, input.categoryCode);
  const code = input.code ?? `${input.categoryCode}/${String(seq).padStart(6, "0")}`;
  const taken = await ctx.tx.select({ id: resources.id }).from(resources).where(eq(resources.code, code));
  if (taken.length > 0) throw new AppError(DatahubErrors.RESOURCE_CODE_TAKEN);
  const now = ctx.clock.now();
  const id = newId(now.getTime());
  await ctx.tx.insert(resources).values({
    id,
    code,
    categoryCode: input.categoryCode,
    seq,
    name: input.name,
    summary: input.summary,
    providerDepartmentId: provider.id,
    format: input.format,
    sharingType: input.sharingType,
    sharingCondition: input.sharingCondition ?? null,
    sharingBasis: input.sharingBasis ?? null,
    sharingMethod: input.sharingMethod,
    openType: input.openType,
    updateCycle: input.updateCycle,
    keyItem: input.keyItem,
    relatedCodes: input.relatedCodes ?? [],
    items: input.items,
    grade: gradeOf(input.items),
    status: "published",
    version: 1,
    publishedOn: shanghaiDate(now),
    ...searchable(input, code, provider),
    createdBy: actor.id,
    createdAt: now,
    updatedAt: now,
  });
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.resource.registered",
    resourceType: "data-resource",
    resourceId: id,
    details: { code, name: input.name, provider: provider.code, sharingType: input.sharingType },
  });
  await publishEvent(ctx.tx, "datahub.resource.registered", {
    resourceId: id,
    code,
    providerId: provider.id,
  });
  return resourceView(await getResourceRow(ctx, id));
}

/** Changes a resource's metadata: the earlier version is kept and the version goes up by one. */
export async function updateResource(ctx: Ctx, id: string, input: ResourceInput): Promise<ResourceView> {
  const actor = actorOf(ctx);
  const row = await getResourceRow(ctx, id, true);
  if (!mayEdit(ctx, row)) throw new AppError(DatahubErrors.NOT_PROVIDER);
  if (row.status === "withdrawn") throw new AppError(DatahubErrors.RESOURCE_WITHDRAWN);
  validate({ ...input, categoryCode: input.categoryCode });
  if (input.categoryCode !== row.categoryCode || (input.code !== undefined && input.code !== row.code)) {
    throw new AppError(HttpErrors.VALIDATION_FAILED, {
      errors: [{ field: "/body/categoryCode", message: "a resource keeps its code and category" }],
    });
  }
  const now = ctx.clock.now();
  await ctx.tx.insert(resourceVersions).values({
    resourceId: id,
    version: row.version,
    snapshot: resourceView(row),
    changedBy: actor.id,
    changedAt: now,
  });
  const provider = { id: row.providerDepartmentId, name: row.providerDepartmentName } as Unit;
  await ctx.tx
    .update(resources)
    .set({
      name: input.name,
      summary: input.summary,
      format: input.format,
      sharingType: input.sharingType,
      sharingCondition: input.sharingCondition ?? null,
      sharingBasis: input.sharingBasis ?? null,
      sharingMethod: input.sharingMethod,
      openType: input.openType,
      updateCycle: input.updateCycle,
      keyItem: input.keyItem,
      relatedCodes: input.relatedCodes ?? [],
      items: input.items,
      grade: gradeOf(input.items),
      version: sql`${resources.version} + 1`,
      ...searchable(input, row.code, provider),
      updatedAt: now,
    })
    .where(eq(resources.id, id));
  const changed = (Object.keys(input) as (keyof ResourceInput)[]).filter(
    (k) => JSON.stringify(input[k] ?? null) !== JSON.stringify((row as unknown as ResourceInput)[k] ?? null),
  );
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.resource.updated",
    resourceType: "data-resource",
    resourceId: id,
    details: { version: row.version + 1, changed },
  });
  await publishEvent(ctx.tx, "datahub.resource.updated", { resourceId: id, version: row.version + 1 });
  return resourceView(await getResourceRow(ctx, id));
}

export async function withdrawResource(ctx: Ctx, id: string, reason: string): Promise<ResourceView> {
  const row = await getResourceRow(ctx, id, true);
  if (!mayEdit(ctx, row)) throw new AppError(DatahubErrors.NOT_PROVIDER);
  if (row.status === "withdrawn") throw new AppError(DatahubErrors.RESOURCE_WITHDRAWN);
  await ctx.tx
    .update(resources)
    .set({ status: "withdrawn", updatedAt: ctx.clock.now() })
    .where(eq(resources.id, id));
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.resource.withdrawn",
    resourceType: "data-resource",
    resourceId: id,
    details: { reason },
  });
  await publishEvent(ctx.tx, "datahub.resource.withdrawn", { resourceId: id });
  return resourceView(await getResourceRow(ctx, id));
}

export function canEditResource(ctx: Ctx, row: ResourceRow): boolean {
  return mayEdit(ctx, row);
}

export interface SearchInput {
  q?: string | undefined;
  page: number;
  pageSize: number;
  filters: Partial<Record<Facet, string>>;
}

const FACET_LABELS: Record<Exclude<Facet, "provider">, Record<string, string>> = {
  category: Object.fromEntries(CATEGORIES.map((c) => [c.code, c.name])),
  sharingType: SHARING_TYPE_NAMES,
  sharingMethod: SHARING_METHOD_NAMES,
  openType: OPEN_TYPE_NAMES,
  updateCycle: UPDATE_CYCLE_NAMES,
  grade: GRADE_NAMES,
};

/** Searches the published catalog with facets; a query that matches nothing gets its near misses. */
export async function searchCatalog(ctx: Ctx, input: SearchInput) {
  const words = input.q ? queryWords(input.q) : [];
  const query: CatalogQuery = {
    terms: words.flatMap((w) => searchTerms(w)).filter((t) => Array.from(t).length === 2),
    words,
    filters: input.filters,
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
  };
  let { rows, total, counts } = await searchResourceRows(ctx.tx, query);
  let fuzzy = false;
  if (total === 0 && input.q && input.page === 1) {
    const ids = await similarResourceRows(ctx.tx, input.q.trim(), input.pageSize);
    if (ids.length > 0) {
      ({ rows, total, counts } = await searchResourceRows(ctx.tx, { ...query, terms: [], words: [], ids }));
      fuzzy = true;
    }
  }
  const providerNames = new Map(
    (
      await rawQuery<{ id: string; name: string }>(
        ctx.tx,
        "select id::text, name from identity.departments where id::text = any($1::text[])",
        [counts.filter((c) => c.facet === "provider").map((c) => c.value)],
      )
    ).map((r) => [r.id, r.name]),
  );
  const facets = Object.fromEntries(
    FACETS.map(([facet]) => [
      facet,
      counts
        .filter((c) => c.facet === facet)
        .map((c) => ({
          value: c.value,
          label:
            facet === "provider"
              ? (providerNames.get(c.value) ?? c.value)
              : (FACET_LABELS[facet][c.value] ?? c.value),
          count: c.count,
        }))
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
    ]),
  ) as Record<Facet, { value: string; label: string; count: number }[]>;
  return { items: rows.map((r) => summaryView(r)), total, facets, fuzzy };
}

function summaryView(row: ResourceSummaryRow) {
  return { ...row, categoryName: CATEGORY_NAMES.get(row.categoryCode) ?? row.categoryCode };
}
