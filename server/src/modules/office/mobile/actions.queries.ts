import type { Db } from "../../../kernel/db/db";
import { rawQuery } from "../../../kernel/db/db";

/** Queries of actions received from 粤政易: reads and plain writes, no rules. */

export interface ActionRow {
  actionId: string;
  requestHash: string;
  statusCode: number;
  response: unknown;
}

/** Holds the action id for this transaction, so a concurrent copy waits and then finds the outcome. */
export async function lockActionId(db: Db, actionId: string): Promise<void> {
  await rawQuery(db, "select pg_advisory_xact_lock(hashtext($1))", [`office.mobile.action:${actionId}`]);
}

export async function findAction(db: Db, actionId: string): Promise<ActionRow | null> {
  const [row] = await rawQuery<ActionRow>(
    db,
    `select action_id as "actionId", request_hash as "requestHash", status_code as "statusCode", response
     from office.mobile_actions where action_id = $1`,
    [actionId],
  );
  return row ?? null;
}

export async function insertAction(
  db: Db,
  row: {
    actionId: string;
    openId: string;
    userId: string | null;
    type: string;
    subjectId: string | null;
    comment: string | null;
    requestHash: string;
    statusCode: number;
    response: unknown;
    receivedAt: string;
  },
): Promise<void> {
  await rawQuery(
    db,
    `insert into office.mobile_actions (action_id, open_id, user_id, type, subject_id, comment, request_hash,
       status_code, response, received_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)`,
    [
      row.actionId,
      row.openId,
      row.userId,
      row.type,
      row.subjectId,
      row.comment,
      row.requestHash,
      row.statusCode,
      JSON.stringify(row.response),
      row.receivedAt,
    ],
  );
}
