import { and, eq, sql } from "drizzle-orm";
import type { Role } from "../access/roles";
import { ROLE_INFO } from "../access/roles";
import { appendAudit } from "../audit/audit";
import { sealSecret } from "../crypto/sm";
import { queryRows } from "../db/db";
import { newId } from "../db/ids";
import { publishEvent } from "../events/events";
import type { Ctx } from "../http/context";
import { AppError } from "../http/errors";
import { IdentityErrors } from "./errors";
import { departments, users } from "./schema";
import { generateTotpSecret, totpUri } from "./totp";

export interface Staff {
  id: string;
  username: string;
  displayName: string;
  departmentId: string | null;
  departmentName: string | null;
  position: string | null;
  roles: string[];
  locked: boolean;
  disabled: boolean;
}

const STAFF_COLUMNS = sql`u.id, u.username, u.display_name as "displayName", u.department_id as "departmentId",
  d.name as "departmentName", u.position, u.roles, coalesce(u.locked_until > now(), false) as locked, u.disabled`;

export async function searchStaff(
  ctx: Ctx,
  query: { departmentId?: string | undefined; q?: string | undefined; page: number; pageSize: number },
): Promise<{ items: Staff[]; total: number }> {
  const conditions = [sql`u.kind = 'staff'`];
  if (query.departmentId) conditions.push(sql`u.department_id = ${query.departmentId}`);
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`(u.username ilike ${like} or u.display_name ilike ${like} or d.name ilike ${like})`);
  }
  const where = sql.join(conditions, sql` and `);
  const items = await queryRows<Staff>(
    ctx.tx,
    sql`select ${STAFF_COLUMNS} from identity.users u left join identity.departments d on d.id = u.department_id
        where ${where} order by d.path, u.username limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`,
  );
  const [count] = await queryRows<{ n: number }>(
    ctx.tx,
    sql`select count(*)::int as n from identity.users u left join identity.departments d on d.id = u.department_id where ${where}`,
  );
  return { items, total: count?.n ?? 0 };
}

export async function getStaff(ctx: Ctx, id: string): Promise<Staff> {
  const [row] = await queryRows<Staff>(
    ctx.tx,
    sql`select ${STAFF_COLUMNS} from identity.users u left join identity.departments d on d.id = u.department_id
        where u.id = ${id} and u.kind = 'staff'`,
  );
  if (!row) throw new AppError(IdentityErrors.STAFF_NOT_FOUND);
  return row;
}

function checkStaffRoles(roles: readonly Role[]): void {
  const bad = roles.findIndex((r) => !ROLE_INFO[r].staff);
  if (bad >= 0) {
    throw new AppError(IdentityErrors.ROLE_NOT_STAFF, {
      errors: [{ field: `/body/roles/${bad}`, message: `${roles[bad]} is not a staff role` }],
    });
  }
}

export interface CreateStaffInput {
  username: string;
  displayName: string;
  departmentId: string;
  position: string;
  roles: Role[];
}

/**
 * Creates a staff account with a one-time password and a TOTP secret; both are returned once, for
 * the administrator to hand over, and never shown again.
 */
export async function createStaff(
  ctx: Ctx,
  input: CreateStaffInput,
  secrets: { masterKey: Buffer; initialPassword: string; passwordHash: string },
): Promise<{ staff: Staff; initialPassword: string; totpSecret: string; totpUri: string }> {
  checkStaffRoles(input.roles);
  const [department] = await ctx.tx.select().from(departments).where(eq(departments.id, input.departmentId));
  if (!department) {
    throw new AppError(IdentityErrors.DEPARTMENT_NOT_FOUND, {
      errors: [{ field: "/body/departmentId", message: "no such department" }],
    });
  }
  const id = newId();
  const totpSecret = generateTotpSecret();
  const inserted = await ctx.tx
    .insert(users)
    .values({
      id,
      username: input.username,
      kind: "staff",
      displayName: input.displayName,
      passwordHash: secrets.passwordHash,
      totpSecret: sealSecret(secrets.masterKey, Buffer.from(totpSecret)).toString("base64"),
      roles: input.roles,
      departmentId: department.id,
      position: input.position,
      mustChangePassword: true,
    })
    .onConflictDoNothing()
    .returning({ id: users.id });
  if (inserted.length === 0) {
    throw new AppError(IdentityErrors.USERNAME_TAKEN, {
      errors: [{ field: "/body/username", message: "is taken" }],
    });
  }
  await appendAudit(ctx.tx, ctx, {
    action: "identity.staff.created",
    resourceType: "user",
    resourceId: id,
    details: { username: input.username, departmentId: department.id, roles: input.roles },
  });
  await publishEvent(ctx.tx, "identity.staff.created", {
    id,
    departmentId: department.id,
    roles: input.roles,
  });
  return {
    staff: await getStaff(ctx, id),
    initialPassword: secrets.initialPassword,
    totpSecret,
    totpUri: totpUri({ secret: totpSecret, account: input.username }),
  };
}

export async function setStaffRoles(ctx: Ctx, id: string, roles: Role[]): Promise<Staff> {
  checkStaffRoles(roles);
  const before = await getStaff(ctx, id);
  await ctx.tx
    .update(users)
    .set({ roles })
    .where(and(eq(users.id, id), eq(users.kind, "staff")));
  await appendAudit(ctx.tx, ctx, {
    action: "identity.staff.roles_changed",
    resourceType: "user",
    resourceId: id,
    details: { from: before.roles, to: roles },
  });
  await publishEvent(ctx.tx, "identity.staff.roles_changed", { id, roles });
  return getStaff(ctx, id);
}

export async function unlockStaff(ctx: Ctx, id: string): Promise<Staff> {
  await getStaff(ctx, id);
  await ctx.tx.update(users).set({ failedAttempts: 0, lockedUntil: null }).where(eq(users.id, id));
  await appendAudit(ctx.tx, ctx, { action: "identity.staff.unlocked", resourceType: "user", resourceId: id });
  return getStaff(ctx, id);
}
