import type { Actor } from "../../../kernel/access/actor";
import { appendAudit } from "../../../kernel/audit/audit";
import type { Ctx } from "../../../kernel/http/context";
import { AppError, HttpErrors } from "../../../kernel/http/errors";
import type { WorkflowEngine } from "../../../workflow";
import {
  deleteAccount,
  findAccountByOpenId,
  findAccountByUser,
  findActiveStaff,
  upsertAccount,
} from "./accounts.queries";
import { MobileErrors } from "./errors";
import { type MobileSettings, syncUserCards, withdrawAllCards } from "./push.service";

/** Linking a staff account to its 粤政易 account (open id): by the person, or by an administrator. */

function selfOrAdmin(ctx: Ctx, userId: string): Actor {
  const actor = ctx.actor;
  if (!actor) throw new AppError(HttpErrors.UNAUTHENTICATED);
  if (actor.id !== userId && !actor.roles.includes("admin")) {
    throw new AppError(HttpErrors.FORBIDDEN, { message: "Only the person or an administrator may do this" });
  }
  return actor;
}

function toAccount(row: { userId: string; openId: string; linkedAt: string }) {
  return { userId: row.userId, openId: row.openId, linkedAt: new Date(row.linkedAt).toISOString() };
}

export async function getMobileAccount(ctx: Ctx, userId: string) {
  const actor = selfOrAdmin(ctx, userId);
  const row = await findAccountByUser(ctx.tx, userId);
  if (!row) throw new AppError(MobileErrors.MOBILE_ACCOUNT_NOT_FOUND);
  if (actor.id !== userId) {
    await appendAudit(ctx.tx, ctx, {
      action: "read",
      resourceType: "mobile-account",
      resourceId: userId,
      details: { what: "linked 粤政易 open id" },
    });
  }
  return toAccount(row);
}

/**
 * Links (or relinks) a staff account to an open id. An open id belongs to one account; relinking
 * withdraws the cards the previous app account shows, and the new one gets what waits for the person.
 */
export async function linkMobileAccount(
  ctx: Ctx,
  push: { engine: WorkflowEngine; settings: MobileSettings | null },
  userId: string,
  openId: string,
) {
  const actor = selfOrAdmin(ctx, userId);
  if (!(await findActiveStaff(ctx.tx, userId))) throw new AppError(MobileErrors.MOBILE_STAFF_NOT_FOUND);
  const holder = await findAccountByOpenId(ctx.tx, openId);
  if (holder && holder.userId !== userId) {
    throw new AppError(MobileErrors.MOBILE_OPEN_ID_TAKEN, {
      errors: [{ field: "/body/openId", message: "is linked to another staff account" }],
    });
  }
  const previous = await findAccountByUser(ctx.tx, userId);
  if (previous?.openId === openId) return toAccount(previous);
  if (previous) await withdrawAllCards(ctx, userId);
  const linkedAt = ctx.clock.now().toISOString();
  await upsertAccount(ctx.tx, { userId, openId, linkedBy: actor.id, linkedAt });
  if (push.settings) await syncUserCards(ctx, push.engine, push.settings, { userId, openId });
  await appendAudit(ctx.tx, ctx, {
    action: "office.mobile-account.linked",
    resourceType: "mobile-account",
    resourceId: userId,
    details: { openId, relinked: previous !== null },
  });
  return toAccount({ userId, openId, linkedAt });
}

/** Unlinks an account; the app account's cards are withdrawn. */
export async function unlinkMobileAccount(ctx: Ctx, userId: string): Promise<void> {
  selfOrAdmin(ctx, userId);
  const previous = await findAccountByUser(ctx.tx, userId);
  if (!previous) throw new AppError(MobileErrors.MOBILE_ACCOUNT_NOT_FOUND);
  await withdrawAllCards(ctx, userId);
  await deleteAccount(ctx.tx, userId);
  await appendAudit(ctx.tx, ctx, {
    action: "office.mobile-account.unlinked",
    resourceType: "mobile-account",
    resourceId: userId,
    details: { openId: previous.openId },
  });
}
