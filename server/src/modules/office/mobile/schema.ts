import { index, integer, jsonb, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { office } from "../schema";

/** A staff account linked to its account in the provincial mobile government app (粤政易): one each way. */
export const mobileAccounts = office.table(
  "mobile_accounts",
  {
    userId: uuid("user_id").primaryKey(),
    /** The app's identifier of the person (open id) */
    openId: text("open_id").notNull(),
    linkedBy: uuid("linked_by"),
    linkedAt: timestamp("linked_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("mobile_accounts_open_id").on(t.openId)],
);

/**
 * What the app shows a person: a card per task offered to them and per notice, so pushing is
 * idempotent (an event seen twice finds its cards there) and a card can be withdrawn later.
 */
export const mobileCards = office.table(
  "mobile_cards",
  {
    /** task | notice */
    kind: text("kind").notNull(),
    subjectId: uuid("subject_id").notNull(),
    userId: uuid("user_id").notNull(),
    /** The open id the card went to (withdrawals go there even if the account is relinked) */
    openId: text("open_id").notNull(),
    /** The task's process instance */
    instanceId: uuid("instance_id"),
    /** active | withdrawn */
    state: text("state").notNull(),
    pushedAt: timestamp("pushed_at", { withTimezone: true }).notNull(),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.subjectId, t.userId] }),
    index("mobile_cards_user").on(t.userId, t.state),
    index("mobile_cards_instance").on(t.instanceId),
  ],
);

/** One signed webhook to the app; its id is the delivery id the app deduplicates on. */
export const mobileDeliveries = office.table(
  "mobile_deliveries",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id").notNull(),
    openId: text("open_id").notNull(),
    /** task.created | task.withdrawn | notice.created */
    event: text("event").notNull(),
    subjectId: uuid("subject_id").notNull(),
    /** The body without the fields added when sending (deliveryId, appId) */
    payload: jsonb("payload").notNull(),
    /** pending | delivered (a delivery out of attempts shows as a failed job in platform.jobs) */
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [index("mobile_deliveries_subject").on(t.subjectId), index("mobile_deliveries_user").on(t.userId)],
);

/** Actions taken in the app, by the app's action id: each is applied once and answers the same ever after. */
export const mobileActions = office.table("mobile_actions", {
  actionId: text("action_id").primaryKey(),
  openId: text("open_id").notNull(),
  /** The linked account it ran as (null: the open id was not linked) */
  userId: uuid("user_id"),
  /** complete_task | claim_task | read_notice */
  type: text("type").notNull(),
  subjectId: uuid("subject_id"),
  comment: text("comment"),
  /** SM3 of the request body: the same action id with another body is refused */
  requestHash: text("request_hash").notNull(),
  statusCode: integer("status_code").notNull(),
  response: jsonb("response").notNull(),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
});
