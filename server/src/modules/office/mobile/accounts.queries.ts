import type { Db } from "../../../kernel/db/db";
import { rawQuery } from "../../../kernel/db/db";

/** Queries of linked 粤政易 accounts: reads and plain writes, no rules. */

export interface AccountRow {
  userId: string;
  openId: string;
  linkedAt: string;
}

export async function findAccountByUser(db: Db, userId: string): Promise<AccountRow | null> {
  const [row] = await rawQuery<AccountRow>(
    db,
    `select user_id as "userId", open_id as "openId", linked_at as "linkedAt" from office.mobile_accounts
     where user_id = $1`,
    [userId],
  );
  return row ?? null;
}

export async function findAccountByOpenId(db: Db, openId: string): Promise<AccountRow | null> {
  const [row] = await rawQuery<AccountRow>(
    db,
    `select user_id as "userId", open_id as "openId", linked_at as "linkedAt" from office.mobile_accounts
     where open_id = $1`,
    [openId],
  );
  return row ?? null;
}

export async function findActiveStaff(db: Db, userId: string) {
  const [row] = await rawQuery<{ id: string; username: string }>(
    db,
    "select id, username from identity.users where id = $1 and kind = 'staff' and not disabled",
    [userId],
  );
  return row ?? null;
}

export async function upsertAccount(
  db: Db,
  row: { userId: string; openId: string; linkedBy: string | null; linkedAt: string },
): Promise<void> {
  await rawQuery(
    db,
    `insert into office.mobile_accounts (user_id, open_id, linked_by, linked_at) values ($1, $2, $3, $4)
     on conflict (user_id) do update set open_id = excluded.open_id, linked_by = excluded.linked_by,
       linked_at = excluded.linked_at`,
    [row.userId, row.openId, row.linkedBy, row.linkedAt],
  );
}

export async function deleteAccount(db: Db, userId: string): Promise<boolean> {
  const rows = await rawQuery(db, "delete from office.mobile_accounts where user_id = $1 returning user_id", [
    userId,
  ]);
  return rows.length > 0;
}

/** The active staff account an open id is linked to, or null (not linked, disabled, not staff). */
export async function findLinkedStaff(
  db: Db,
  openId: string,
): Promise<{ userId: string; mustChangePassword: boolean } | null> {
  const [row] = await rawQuery<{ userId: string; mustChangePassword: boolean }>(
    db,
    `select u.id as "userId", u.must_change_password as "mustChangePassword"
     from office.mobile_accounts a join identity.users u on u.id = a.user_id
     where a.open_id = $1 and u.kind = 'staff' and not u.disabled`,
    [openId],
  );
  return row ?? null;
}

/** Links demo accounts by username to open ids; existing links stay. Returns how many were added. */
export async function insertAccountsByUsername(
  db: Db,
  links: { username: string; openId: string }[],
  linkedAt: string,
): Promise<number> {
  const rows = await rawQuery(
    db,
    `insert into office.mobile_accounts (user_id, open_id, linked_by, linked_at)
     select u.id, l.open_id, null, $3 from unnest($1::text[], $2::text[]) as l(username, open_id)
     join identity.users u on u.username = l.username and u.kind = 'staff'
     on conflict do nothing returning user_id`,
    [links.map((l) => l.username), links.map((l) => l.openId), linkedAt],
  );
  return rows.length;
}
