import { asc, eq, sql } from "drizzle-orm";
import { appendAudit } from "../audit/audit";
import { queryRows } from "../db/db";
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

export async function createDepartment(ctx: Ctx, input: CreateDepartmentInput): Promise<Department> {
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
  const id = newId();
  const inserted = await ctx.tx
    .insert(departments)
    .values({
      id,
      code: input.code,
      name: input.name,
      nameEn: input.nameEn ?? null,
      kind: input.kind,
      parentId: parent?.id ?? null,
      path: `${parent?.path ?? "/"}${id}/`,
      orgPrefix: input.orgPrefix ?? null,
    })
    .onConflictDoNothing()
    .returning({ id: departments.id });
  if (inserted.length === 0) {
    throw new AppError(IdentityErrors.DEPARTMENT_CODE_TAKEN, {
      errors: [{ field: "/body/code", message: "is used by another department" }],
    });
  }
  await appendAudit(ctx.tx, ctx, {
    action: "identity.department.created",
    resourceType: "department",
    resourceId: id,
    details: { code: input.code, kind: input.kind, parentId: parent?.id ?? null },
  });
  await publishEvent(ctx.tx, "identity.department.created", {
    id,
    code: input.code,
    kind: input.kind,
    parentId: parent?.id ?? null,
  });
  return {
    id,
    code: input.code,
    name: input.name,
    nameEn: input.nameEn ?? null,
    kind: input.kind,
    parentId: parent?.id ?? null,
    staffCount: 0,
  };
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
  input: { name?: string | undefined; nameEn?: string | undefined },
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
