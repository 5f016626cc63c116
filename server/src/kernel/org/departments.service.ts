import { asc, eq, sql } from "drizzle-orm";
import { appendAudit } from "../audit/audit";
import { auditedBatchQuery } from "../audit/audited-statement";
import { WriteBatcher } from "../db/batcher";
import type { Db } from "../db/db";
import { isEmbedded, queryRows, rawQuery } from "../db/db";
import { newId } from "../db/ids";
import { publishEvent } from "../events/events";
import type { Ctx } from "../http/context";
import { AppError } from "../http/errors";
import { IdentityErrors } from "../identity/errors";
import { departments } from "../identity/schema";

export const DEPARTMENT_KINDS = [
  "government",
  "bureau",
  "office",
  "subdistrict",
  "community",
  "grid",
] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

/** Which kinds may sit under which: 区政府 → 局 → 科室; 街道 → 社区 → 网格. */
const ALLOWED_PARENTS: Record<DepartmentKind, (DepartmentKind | null)[]> = {
  government: [null],
  bureau: ["government"],
  office: ["government", "bureau", "subdistrict", "office"],
  subdistrict: ["government"],
  community: ["subdistrict"],
  grid: ["community"],
};

export interface Department {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  kind: DepartmentKind;
  parentId: string | null;
  staffCount: number;
}

export async function listDepartments(ctx: Ctx): Promise<Department[]> {
  return queryRows<Department>(
    ctx.tx,
    sql`select d.id, d.code, d.name, d.name_en as "nameEn", d.kind, d.parent_id as "parentId",
          coalesce(s.n, 0)::int as "staffCount"
        from identity.departments d
        left join (select department_id, count(*) as n from identity.users where kind = 'staff' group by department_id) s
          on s.department_id = d.id
        order by d.path`,
  );
}

export async function getDepartment(ctx: Ctx, id: string) {
  const [row] = await ctx.tx.select().from(departments).where(eq(departments.id, id));
  if (!row) throw new AppError(IdentityErrors.DEPARTMENT_NOT_FOUND);
  return row;
}

export interface CreateDepartmentInput {
  code: string;
  name: string;
  nameEn?: string | undefined;
  kind: DepartmentKind;
  parentId: string | null;
  orgPrefix?: string | undefined;
}

interface PendingDepartment {
  ctx: Ctx;
  id: string;
  input: CreateDepartmentInput;
}

const batchers = new WeakMap<Db, WriteBatcher<PendingDepartment, boolean>>();

function batcherFor(db: Db): WriteBatcher<PendingDepartment, boolean> {
  let batcher = batchers.get(db);
  if (!batcher) {
    // PGlite runs one statement at a time on this thread: a second flush in flight only splits batches.
    const concurrency = isEmbedded(db) ? 1 : 4;
    batcher = new WriteBatcher((items) => insertDepartments(db, items), { maxBatch: 200, concurrency });
    batchers.set(db, batcher);
  }
  return batcher;
}

/**
 * One statement for one or many requests, with each row's audit record and event. A row is
 * inserted only if its parent exists and has an allowed kind (a top-level kind: no parent), and its
 * code is free; the result says, per item, whether it was.
 */
async function insertDepartments(db: Db, items: PendingDepartment[]): Promise<boolean[]> {
  const query = auditedBatchQuery({
    columns: [
      { name: "id", type: "uuid" },
      { name: "code", type: "text" },
      { name: "name", type: "text" },
      { name: "name_en", type: "text" },
      { name: "kind", type: "text" },
      { name: "parent_id", type: "uuid" },
      { name: "allowed", type: "text[]" },
      { name: "org_prefix", type: "text" },
    ],
    rows: items.map(({ ctx, id, input }) => ({
      ctx,
      values: [
        id,
        input.code,
        input.name,
        input.nameEn ?? null,
        input.kind,
        input.parentId,
        ALLOWED_PARENTS[input.kind].filter((k) => k !== null),
        input.orgPrefix ?? null,
      ],
      details: { code: input.code, kind: input.kind, parentId: input.parentId },
      payload: { id, code: input.code, kind: input.kind, parentId: input.parentId },
    })),
    // A kind whose only allowed parent is none (the government) has an empty `allowed` list.
    change: `insert into identity.departments (id, code, name, name_en, kind, parent_id, path, org_prefix)
      select i.id, i.code, i.name, i.name_en, i.kind, p.id, coalesce(p.path, '/') || i.id || '/', i.org_prefix
      from input i left join identity.departments p on p.id = i.parent_id
      where case when i.parent_id is null then cardinality(i.allowed) = 0 else p.kind = any(i.allowed) end
      on conflict do nothing returning id`,
    audit: { action: "identity.department.created", resourceType: "department" },
    event: { topic: "identity.department.created" },
  });
  const inserted = new Set(
    (await rawQuery<{ id: string }>(db, query.text, query.params, { prepare: true })).map((r) => r.id),
  );
  return items.map((item) => inserted.has(item.id));
}

export async function createDepartment(ctx: Ctx, input: CreateDepartmentInput): Promise<Department> {
  const item = { ctx, id: newId(), input };
  // Outside a transaction the request may share its statement with concurrent ones (group commit).
  const inserted = ctx.batchable
    ? await batcherFor(ctx.tx).submit(item)
    : (await insertDepartments(ctx.tx, [item]))[0];
  // Only when nothing was inserted do we look again, to say why.
  if (!inserted) await explainRefusedDepartment(ctx, input);
  return {
    id: item.id,
    code: input.code,
    name: input.name,
    nameEn: input.nameEn ?? null,
    kind: input.kind,
    parentId: input.parentId,
    staffCount: 0,
  };
}

async function explainRefusedDepartment(ctx: Ctx, input: CreateDepartmentInput): Promise<never> {
  const parent = input.parentId ? await findParent(ctx, input.parentId) : null;
  if (!ALLOWED_PARENTS[input.kind].includes((parent?.kind as DepartmentKind | undefined) ?? null)) {
    throw new AppError(IdentityErrors.DEPARTMENT_NESTING_INVALID, {
      message: `A ${input.kind} cannot sit under ${parent ? `a ${parent.kind}` : "nothing"}`,
      errors: [
        {
          field: "/body/parentId",
          message: `a ${input.kind} needs a parent of kind ${ALLOWED_PARENTS[input.kind].join(" or ")}`,
        },
      ],
    });
  }
  throw new AppError(IdentityErrors.DEPARTMENT_CODE_TAKEN, {
    errors: [{ field: "/body/code", message: "is used by another department" }],
  });
}

async function findParent(ctx: Ctx, parentId: string) {
  const [parent] = await ctx.tx.select().from(departments).where(eq(departments.id, parentId));
  if (!parent) {
    throw new AppError(IdentityErrors.DEPARTMENT_NOT_FOUND, {
      errors: [{ field: "/body/parentId", message: "no such department" }],
    });
  }
  return parent;
}

export async function renameDepartment(
  ctx: Ctx,
  id: string,
  input: { name?: string | undefined; nameEn?: string | null | undefined },
): Promise<Department> {
  const before = await getDepartment(ctx, id);
  const changes = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.nameEn !== undefined ? { nameEn: input.nameEn } : {}),
  };
  if (Object.keys(changes).length > 0) {
    await ctx.tx.update(departments).set(changes).where(eq(departments.id, id));
    await appendAudit(ctx.tx, ctx, {
      action: "identity.department.renamed",
      resourceType: "department",
      resourceId: id,
      details: { from: { name: before.name, nameEn: before.nameEn }, to: changes },
    });
    await publishEvent(ctx.tx, "identity.department.renamed", { id, ...changes });
  }
  const [after] = (await listDepartmentsByIds(ctx, [id])) as Department[];
  return after!;
}

async function listDepartmentsByIds(ctx: Ctx, ids: string[]): Promise<Department[]> {
  const rows = await ctx.tx
    .select({
      id: departments.id,
      code: departments.code,
      name: departments.name,
      nameEn: departments.nameEn,
      kind: departments.kind,
      parentId: departments.parentId,
      staffCount: sql<number>`(select count(*)::int from identity.users u where u.department_id = ${departments.id} and u.kind = 'staff')`,
    })
    .from(departments)
    .where(
      sql`${departments.id} in (${sql.join(
        ids.map((i) => sql`${i}`),
        sql`, `,
      )})`,
    )
    .orderBy(asc(departments.path));
  return rows as Department[];
}
