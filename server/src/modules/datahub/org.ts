import type { Actor } from "../../kernel/access/actor";
import type { Db } from "../../kernel/db/db";
import { rawQuery } from "../../kernel/db/db";
import { actorOf, type Ctx } from "../../kernel/http/context";
import { AppError, HttpErrors } from "../../kernel/http/errors";
import { DatahubErrors } from "./errors";

/** A department as the data hub sees it: the bureau or sub-district that owns and asks for data. */
export interface Unit {
  id: string;
  code: string;
  name: string;
  path: string;
}

export { actorOf };

/**
 * The unit a department belongs to: the nearest bureau or sub-district above it (or itself). Data is
 * held and shared by units, whichever section its officer sits in.
 */
export async function findUnit(db: Db, departmentId: string): Promise<Unit | null> {
  const [row] = await rawQuery<Unit>(
    db,
    `select a.id, a.code, a.name, a.path from identity.departments d
       join identity.departments a on d.path like a.path || '%'
     where d.id = $1 and a.kind in ('bureau', 'subdistrict', 'government')
     order by (a.kind = 'government'), length(a.path) desc limit 1`,
    [departmentId],
  );
  return row ?? null;
}

/** The caller's unit; staff without a department cannot act for one. */
export async function unitOfActor(ctx: Ctx): Promise<Unit> {
  const actor = actorOf(ctx);
  const unit = actor.departmentId ? await findUnit(ctx.tx, actor.departmentId) : null;
  if (!unit) throw new AppError(DatahubErrors.NOT_A_DEPARTMENT_MEMBER);
  return unit;
}

export async function getUnit(db: Db, departmentId: string): Promise<Unit> {
  const [row] = await rawQuery<Unit>(
    db,
    "select id, code, name, path from identity.departments where id = $1",
    [departmentId],
  );
  if (!row) throw new AppError(DatahubErrors.DEPARTMENT_NOT_FOUND);
  return row;
}

/** The data bureau (政务数据局) oversees the catalog and every share. */
export const isDataBureau = (actor: Actor) =>
  actor.roles.includes("databureau") || actor.roles.includes("admin");
