import { desc, eq, inArray } from "drizzle-orm";
import { appendAudit } from "../../../kernel/audit/audit";
import { newId } from "../../../kernel/db/ids";
import type { Ctx } from "../../../kernel/http/context";
import { AppError, HttpErrors } from "../../../kernel/http/errors";
import { randomToken } from "../../../kernel/identity/passwords";
import { tokenHash } from "../../../kernel/identity/sessions";
import { entities, twinClients } from "../schema";

export interface TwinClientInput {
  name: string;
  kind: "device" | "system";
  entityIds?: string[];
  mayWrite?: boolean;
}

export type TwinClientChange = Partial<Pick<TwinClientInput, "name" | "entityIds" | "mayWrite">> & {
  disabled?: boolean;
};

const VIEW = {
  id: twinClients.id,
  name: twinClients.name,
  kind: twinClients.kind,
  entityIds: twinClients.entityIds,
  mayWrite: twinClients.mayWrite,
  disabled: twinClients.disabled,
  createdAt: twinClients.createdAt,
  modifiedAt: twinClients.modifiedAt,
};

/** A device's entities must exist; a system has none. */
async function checkEntities(
  ctx: Ctx,
  kind: "device" | "system",
  ids: string[] | undefined,
): Promise<string[]> {
  const wanted = [...new Set(ids ?? [])];
  if (kind === "system") {
    if (wanted.length > 0)
      throw new AppError(HttpErrors.VALIDATION_FAILED, {
        errors: [{ field: "/body/entityIds", message: "a system reads the whole twin: list no entities" }],
      });
    return [];
  }
  if (wanted.length === 0)
    throw new AppError(HttpErrors.VALIDATION_FAILED, {
      errors: [{ field: "/body/entityIds", message: "a device reports for at least one entity" }],
    });
  const found = new Set(
    (await ctx.tx.select({ id: entities.id }).from(entities).where(inArray(entities.id, wanted))).map(
      (r) => r.id,
    ),
  );
  const missing = wanted.findIndex((id) => !found.has(id));
  if (missing >= 0)
    throw new AppError(HttpErrors.VALIDATION_FAILED, {
      errors: [
        { field: `/body/entityIds/${missing}`, message: `the twin holds no entity ${wanted[missing]}` },
      ],
    });
  return wanted;
}

function checkMayWrite(kind: "device" | "system", mayWrite: boolean | undefined): void {
  if (kind === "device" && mayWrite === false)
    throw new AppError(HttpErrors.VALIDATION_FAILED, {
      errors: [{ field: "/body/mayWrite", message: "a device always updates its own entities" }],
    });
}

/** Registers a device or system; its secret is returned this once. */
export async function registerTwinClient(ctx: Ctx, input: TwinClientInput) {
  checkMayWrite(input.kind, input.mayWrite);
  const entityIds = await checkEntities(ctx, input.kind, input.entityIds);
  const id = newId();
  const secret = randomToken("fft_");
  const now = ctx.clock.now().toISOString();
  const [row] = await ctx.tx
    .insert(twinClients)
    .values({
      id,
      name: input.name.trim(),
      kind: input.kind,
      entityIds,
      mayWrite: input.kind === "device" || input.mayWrite === true,
      secretHash: tokenHash(secret),
      createdBy: ctx.actor?.id ?? null,
      createdAt: now,
      modifiedAt: now,
    })
    .returning(VIEW);
  await appendAudit(ctx.tx, ctx, {
    action: "operations.twin-client.registered",
    resourceType: "twin-client",
    resourceId: id,
    details: { name: row!.name, kind: row!.kind, entities: entityIds.length, mayWrite: row!.mayWrite },
  });
  return { ...row!, secret };
}

export function listTwinClients(ctx: Ctx) {
  return ctx.tx.select(VIEW).from(twinClients).orderBy(desc(twinClients.createdAt)).limit(1000);
}

async function findClient(ctx: Ctx, id: string) {
  const [row] = await ctx.tx.select(VIEW).from(twinClients).where(eq(twinClients.id, id)).for("update");
  if (!row) throw new AppError(HttpErrors.NOT_FOUND, { message: `No twin client ${id}` });
  return row;
}

/** Sets columns of a client and audits it in the same transaction. */
async function changeClient(
  ctx: Ctx,
  id: string,
  set: Partial<typeof twinClients.$inferInsert>,
  action: string,
  details?: Record<string, unknown>,
) {
  const [row] = await ctx.tx
    .update(twinClients)
    .set({ ...set, modifiedAt: ctx.clock.now().toISOString() })
    .where(eq(twinClients.id, id))
    .returning(VIEW);
  await appendAudit(ctx.tx, ctx, { action, resourceType: "twin-client", resourceId: id, details });
  return row!;
}

/** Renames, rebinds, allows or forbids writing, disables or enables a client. */
export async function updateTwinClient(ctx: Ctx, id: string, change: TwinClientChange) {
  const row = await findClient(ctx, id);
  checkMayWrite(row.kind, change.mayWrite);
  const entityIds =
    change.entityIds === undefined ? undefined : await checkEntities(ctx, row.kind, change.entityIds);
  const name = change.name?.trim();
  return changeClient(
    ctx,
    id,
    {
      name,
      entityIds,
      mayWrite: row.kind === "system" ? change.mayWrite : undefined,
      disabled: change.disabled,
    },
    "operations.twin-client.updated",
    {
      ...(name !== undefined ? { name } : {}),
      ...(entityIds ? { entities: entityIds.length } : {}),
      ...(change.mayWrite !== undefined ? { mayWrite: change.mayWrite } : {}),
      ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
    },
  );
}

/** A new secret: the old one stops working (within the clients' cache time in other processes). */
export async function rotateTwinClientSecret(ctx: Ctx, id: string) {
  await findClient(ctx, id);
  const secret = randomToken("fft_");
  const row = await changeClient(
    ctx,
    id,
    { secretHash: tokenHash(secret) },
    "operations.twin-client.secret-rotated",
  );
  return { ...row, secret };
}
