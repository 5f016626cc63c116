import { randomBytes } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { appendAudit } from "../../../kernel/audit/audit";
import type { Db } from "../../../kernel/db/db";
import type { Ctx } from "../../../kernel/http/context";
import { AppError } from "../../../kernel/http/errors";
import { hashPassword, verifyPassword } from "../../../kernel/identity/passwords";
import { DatahubErrors } from "../errors";
import { actorOf, isDataBureau, unitOfActor } from "../org";
import { clients } from "../schema";

/** A department registers a system of its own to call the gateway; the secret is shown once. */
export async function registerClient(ctx: Ctx, name: string) {
  const actor = actorOf(ctx);
  const unit = await unitOfActor(ctx);
  const clientId = `cli_${randomBytes(9).toString("base64url")}`;
  const clientSecret = randomBytes(24).toString("base64url");
  await ctx.tx.insert(clients).values({
    clientId,
    name,
    departmentId: unit.id,
    secretHash: await hashPassword(clientSecret),
    createdBy: actor.id,
    createdAt: ctx.clock.now(),
  });
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.client.registered",
    resourceType: "exchange-client",
    resourceId: clientId,
    details: { name, department: unit.code },
  });
  return { clientId, clientSecret, name, departmentName: unit.name };
}

export async function listClientRows(ctx: Ctx) {
  const actor = actorOf(ctx);
  const query = ctx.tx
    .select({
      clientId: clients.clientId,
      name: clients.name,
      departmentId: clients.departmentId,
      disabled: clients.disabled,
      createdAt: clients.createdAt,
      lastUsedAt: clients.lastUsedAt,
    })
    .from(clients)
    .orderBy(desc(clients.createdAt))
    .limit(500);
  if (isDataBureau(actor)) return query;
  const unit = await unitOfActor(ctx);
  return query.where(eq(clients.departmentId, unit.id));
}

export async function disableClient(ctx: Ctx, clientId: string) {
  const actor = actorOf(ctx);
  const unit = isDataBureau(actor) ? null : await unitOfActor(ctx);
  const [row] = await ctx.tx
    .update(clients)
    .set({ disabled: true })
    .where(and(eq(clients.clientId, clientId), unit ? eq(clients.departmentId, unit.id) : undefined))
    .returning({ clientId: clients.clientId });
  if (!row) throw new AppError(DatahubErrors.CLIENT_NOT_FOUND);
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.client.disabled",
    resourceType: "exchange-client",
    resourceId: clientId,
  });
}

/** Checks client credentials (argon2id): the client's department, or null. */
export async function authenticateClient(db: Db, clientId: string, secret: string) {
  const [row] = await db.select().from(clients).where(eq(clients.clientId, clientId));
  const ok = await verifyPassword(row?.secretHash ?? null, secret);
  if (!row || !ok || row.disabled) return null;
  await db.update(clients).set({ lastUsedAt: new Date() }).where(eq(clients.clientId, clientId));
  return { clientId: row.clientId, departmentId: row.departmentId, name: row.name };
}
