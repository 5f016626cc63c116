import type { Db } from "../../../kernel/db/db";
import { rawQuery } from "../../../kernel/db/db";
import { newId } from "../../../kernel/db/ids";
import { jobs } from "../../../kernel/jobs/schema";
import { mobileDeliveries } from "./schema";

/** Queries of the push side: cards, deliveries, and who holds a linked account. No rules. */

export interface Recipient {
  userId: string;
  openId: string;
}

/** Serialises work on one subject (a task's cards) across concurrent event handlers and processes. */
export async function lockSubject(db: Db, key: string): Promise<void> {
  await rawQuery(db, "select pg_advisory_xact_lock(hashtext($1))", [key]);
}

/**
 * The linked, active staff a task is offered to, resolved as the inbox does (workflow.queries.ts
 * searchTaskRows with actorGroups): the assignee alone; or, unassigned, the candidate users and
 * everyone in a candidate group — a role, a department code (sub-departments included) or role@code.
 */
export async function linkedTaskRecipients(
  db: Db,
  task: { assignee: string | null; candidateUsers: string[]; candidateGroups: string[] },
): Promise<Recipient[]> {
  return rawQuery<Recipient>(
    db,
    `select u.id as "userId", a.open_id as "openId"
     from office.mobile_accounts a
     join identity.users u on u.id = a.user_id and u.kind = 'staff' and not u.disabled
     left join identity.departments d on d.id = u.department_id
     where case when $1::text is not null then u.username = $1
       else u.username = any($2::text[]) or u.roles && $3::text[]
         or exists (select 1 from identity.departments g
                    where d.path like g.path || '%'
                      and (g.code = any($3::text[])
                           or exists (select 1 from unnest(u.roles) r where r || '@' || g.code = any($3::text[]))))
       end
     order by u.id`,
    [task.assignee, task.candidateUsers, task.candidateGroups],
  );
}

export async function activeCards(db: Db, kind: "task" | "notice", subjectId: string): Promise<Recipient[]> {
  return rawQuery<Recipient>(
    db,
    `select user_id as "userId", open_id as "openId" from office.mobile_cards
     where kind = $1 and subject_id = $2 and state = 'active' order by user_id`,
    [kind, subjectId],
  );
}

export async function activeTaskIdsOfInstance(db: Db, instanceId: string): Promise<string[]> {
  const rows = await rawQuery<{ id: string }>(
    db,
    `select distinct subject_id as id from office.mobile_cards
     where kind = 'task' and instance_id = $1 and state = 'active'`,
    [instanceId],
  );
  return rows.map((r) => r.id);
}

export async function activateCards(
  db: Db,
  card: { kind: "task" | "notice"; subjectId: string; instanceId: string | null; at: string },
  to: Recipient[],
): Promise<void> {
  if (to.length === 0) return;
  await rawQuery(
    db,
    `insert into office.mobile_cards (kind, subject_id, user_id, open_id, instance_id, state, pushed_at)
     select $1, $2, r.user_id, r.open_id, $3, 'active', $4 from unnest($5::uuid[], $6::text[]) as r(user_id, open_id)
     on conflict (kind, subject_id, user_id) do update set state = 'active', open_id = excluded.open_id,
       pushed_at = excluded.pushed_at, withdrawn_at = null`,
    [card.kind, card.subjectId, card.instanceId, card.at, to.map((r) => r.userId), to.map((r) => r.openId)],
  );
}

/** Cards of a notice for its linked recipients that have none yet: returns who got one now. */
export async function activateNoticeCards(db: Db, noticeId: string, at: string): Promise<Recipient[]> {
  return rawQuery<Recipient>(
    db,
    `insert into office.mobile_cards (kind, subject_id, user_id, open_id, state, pushed_at)
     select 'notice', r.notice_id, r.user_id, a.open_id, 'active', $2
     from office.notice_recipients r join office.mobile_accounts a on a.user_id = r.user_id
     join identity.users u on u.id = r.user_id and not u.disabled
     where r.notice_id = $1
     on conflict (kind, subject_id, user_id) do nothing
     returning user_id as "userId", open_id as "openId"`,
    [noticeId, at],
  );
}

/** Cards for a newly linked account's latest unread notices; returns those notices. */
export async function activateUnreadNoticeCards(db: Db, to: Recipient, at: string, limit: number) {
  return rawQuery<{ id: string; kind: string; title: string; link: string | null }>(
    db,
    `with added as (
       insert into office.mobile_cards (kind, subject_id, user_id, open_id, state, pushed_at)
       select 'notice', r.notice_id, r.user_id, $2, 'active', $3 from office.notice_recipients r
       where r.user_id = $1 and r.read_at is null order by r.created_at desc limit $4
       on conflict (kind, subject_id, user_id) do update set state = 'active', open_id = excluded.open_id,
         pushed_at = excluded.pushed_at, withdrawn_at = null
       returning subject_id)
     select n.id, n.kind, n.title, n.link from added join office.notices n on n.id = added.subject_id
     order by n.created_at`,
    [to.userId, to.openId, at, limit],
  );
}

export async function withdrawCards(
  db: Db,
  kind: "task" | "notice",
  subjectId: string,
  userIds: string[],
  at: string,
): Promise<void> {
  if (userIds.length === 0) return;
  await rawQuery(
    db,
    `update office.mobile_cards set state = 'withdrawn', withdrawn_at = $4
     where kind = $1 and subject_id = $2 and user_id = any($3::uuid[]) and state = 'active'`,
    [kind, subjectId, userIds, at],
  );
}

/** Withdraws every active card of a user (account unlinked or relinked); returns what was withdrawn. */
export async function withdrawUserCards(db: Db, userId: string, at: string) {
  return rawQuery<{ kind: "task" | "notice"; subjectId: string; openId: string }>(
    db,
    `update office.mobile_cards set state = 'withdrawn', withdrawn_at = $2 where user_id = $1 and state = 'active'
     returning kind, subject_id as "subjectId", open_id as "openId"`,
    [userId, at],
  );
}

export interface NewDelivery {
  userId: string;
  openId: string;
  event: "task.created" | "task.withdrawn" | "notice.created" | "notice.withdrawn";
  subjectId: string;
  payload: Record<string, unknown>;
}

/**
 * Records deliveries and schedules a delivery job for each, in the caller's transaction: two
 * multi-row inserts, however many recipients. Returns the delivery ids.
 */
export async function insertDeliveries(
  db: Db,
  deliveries: NewDelivery[],
  job: { kind: string; runAt: Date; maxAttempts: number },
): Promise<string[]> {
  if (deliveries.length === 0) return [];
  const createdAt = job.runAt;
  const rows = deliveries.map((d) => ({ ...d, id: newId(), status: "pending", createdAt }));
  await db.insert(mobileDeliveries).values(rows);
  // scheduleJob (kernel/jobs) inserts one row per call; a district-wide notice needs one statement.
  await db.insert(jobs).values(
    rows.map((d) => ({
      id: newId(),
      kind: job.kind,
      payload: { deliveryId: d.id },
      runAt: job.runAt,
      maxAttempts: job.maxAttempts,
    })),
  );
  return rows.map((r) => r.id);
}

export interface DeliveryRow {
  id: string;
  openId: string;
  event: string;
  payload: Record<string, unknown> | string;
  status: string;
}

export async function lockDelivery(db: Db, id: string): Promise<DeliveryRow | null> {
  const [row] = await rawQuery<DeliveryRow>(
    db,
    `select id, open_id as "openId", event, payload, status from office.mobile_deliveries where id = $1 for update`,
    [id],
  );
  return row ?? null;
}

export async function markDelivered(db: Db, id: string, attempts: number, at: string): Promise<void> {
  await rawQuery(
    db,
    `update office.mobile_deliveries set status = 'delivered', attempts = $2, delivered_at = $3 where id = $1`,
    [id, attempts, at],
  );
}
