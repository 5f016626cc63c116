import type { Actor } from "../access/actor";
import { isRole } from "../access/roles";
import { type Db, rawQuery } from "../db/db";

/**
 * Actors of enabled accounts by username or id, as a session would resolve them: for work done on
 * someone's behalf without a session (the demo seed, an action arriving from an external app).
 */
export async function loadActors(
  db: Db,
  by: { usernames: string[] } | { ids: string[] },
): Promise<Map<string, Actor>> {
  const byName = "usernames" in by;
  const keys = byName ? by.usernames : by.ids;
  if (keys.length === 0) return new Map();
  const rows = await rawQuery<{
    id: string;
    username: string;
    kind: Actor["kind"];
    display_name: string;
    roles: string[];
    department_id: string | null;
    path: string | null;
    citizen_id: string | null;
    enterprise_id: string | null;
  }>(
    db,
    `select u.id, u.username, u.kind, u.display_name, u.roles, u.department_id, d.path, u.citizen_id, u.enterprise_id
     from identity.users u left join identity.departments d on d.id = u.department_id
     where ${byName ? "u.username = any($1::text[])" : "u.id = any($1::uuid[])"} and not u.disabled`,
    [keys],
  );
  return new Map(
    rows.map((r) => [
      byName ? r.username : r.id,
      {
        id: r.id,
        username: r.username,
        kind: r.kind,
        displayName: r.display_name,
        roles: r.roles.filter(isRole),
        departmentId: r.department_id,
        departmentPath: r.path,
        citizenId: r.citizen_id,
        enterpriseId: r.enterprise_id,
      },
    ]),
  );
}
