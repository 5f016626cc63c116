import { eq, sql } from "drizzle-orm";
import { appendAudit } from "../../../kernel/audit/audit";
import type { Db } from "../../../kernel/db/db";
import { rawQuery } from "../../../kernel/db/db";
import type { Ctx } from "../../../kernel/http/context";
import { AppError, type FieldError, HttpErrors } from "../../../kernel/http/errors";
import type { ResourceRow } from "../catalog/catalog.queries";
import { canEditResource, getResourceRow } from "../catalog/catalog.service";
import type { DataItem } from "../catalog/catalog.types";
import { DatahubErrors } from "../errors";
import { records, resources } from "../schema";
import { type DataKeys, keyHash, openValues, sealValues } from "./protection";

export const MAX_RECORDS_PER_CALL = 1000;

function checkValue(item: DataItem, value: unknown): string | null {
  if (value === null) return null;
  switch (item.type) {
    case "string":
      if (typeof value !== "string") return "must be a string";
      if (item.length !== null && Array.from(value).length > item.length)
        return `must be at most ${item.length} characters`;
      return null;
    case "integer":
      return Number.isSafeInteger(value) ? null : "must be a whole number";
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? null : "must be a number";
    case "date":
      return typeof value === "string" &&
        /^\d{4}-\d{2}-\d{2}$/.test(value) &&
        !Number.isNaN(Date.parse(value))
        ? null
        : "must be a date YYYY-MM-DD";
    case "datetime":
      return typeof value === "string" && !Number.isNaN(Date.parse(value)) && /T/.test(value)
        ? null
        : "must be a date-time (RFC 3339)";
    case "boolean":
      return typeof value === "boolean" ? null : "must be true or false";
  }
}

/**
 * Publishes records of a resource (the provider's data officer or a load job): inserted or replaced
 * by their key item. Sensitive items are sealed; a person's record is linked to the citizen by ID number.
 */
export async function putResourceRecords(
  ctx: Ctx,
  keys: DataKeys,
  resourceId: string,
  input: Record<string, unknown>[],
  options: { skipAccessCheck?: boolean } = {},
): Promise<{ inserted: number; updated: number }> {
  const row = await getResourceRow(ctx, resourceId);
  if (!options.skipAccessCheck && !canEditResource(ctx, row)) throw new AppError(DatahubErrors.NOT_PROVIDER);
  if (row.status === "withdrawn") throw new AppError(DatahubErrors.RESOURCE_WITHDRAWN);
  const items = new Map(row.items.map((i) => [i.name, i]));
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  input.forEach((record, n) => {
    for (const [name, value] of Object.entries(record)) {
      const item = items.get(name);
      const problem = item ? checkValue(item, value) : "is not an item of the resource";
      if (problem) errors.push({ field: `/body/records/${n}/${name}`, message: problem });
    }
    const key = record[row.keyItem];
    if (typeof key !== "string" && typeof key !== "number")
      errors.push({ field: `/body/records/${n}/${row.keyItem}`, message: "the key item is required" });
    else if (seen.has(String(key)))
      errors.push({ field: `/body/records/${n}/${row.keyItem}`, message: "repeats a key of this load" });
    else seen.add(String(key));
  });
  if (errors.length > 0) throw new AppError(HttpErrors.VALIDATION_FAILED, { errors: errors.slice(0, 50) });
  if (input.length === 0) return { inserted: 0, updated: 0 };
  const idItem = row.items.find((i) => i.baseField === "person.idNumber");
  const citizens = idItem
    ? new Map(
        (
          await rawQuery<{ id: string; idNumber: string }>(
            ctx.tx,
            `select id, id_number as "idNumber" from identity.citizens where id_number = any($1::text[])`,
            [input.map((r) => r[idItem.name]).filter((v): v is string => typeof v === "string")],
          )
        ).map((c) => [c.idNumber, c.id]),
      )
    : new Map<string, string>();
  const now = ctx.clock.now();
  const values = input.map((record) => {
    const recordKey = String(record[row.keyItem]);
    const open: Record<string, unknown> = {};
    const secret: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(record))
      (items.get(name)!.sensitive ? secret : open)[name] = value;
    const idNumber = idItem ? record[idItem.name] : undefined;
    return {
      resourceId,
      recordKey,
      keyHash: keyHash(keys, resourceId, recordKey),
      data: open,
      sealed: Object.keys(secret).length > 0 ? sealValues(keys, resourceId, recordKey, secret) : null,
      subjectCitizenId: typeof idNumber === "string" ? (citizens.get(idNumber) ?? null) : null,
      updatedAt: now,
    };
  });
  const written = await ctx.tx
    .insert(records)
    .values(values)
    .onConflictDoUpdate({
      target: [records.resourceId, records.recordKey],
      set: {
        data: sql`excluded.data`,
        sealed: sql`excluded.sealed`,
        subjectCitizenId: sql`excluded.subject_citizen_id`,
        updatedAt: sql`excluded.updated_at`,
      },
    })
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
  const inserted = written.filter((w) => w.inserted).length;
  if (inserted > 0)
    await ctx.tx
      .update(resources)
      .set({ recordCount: sql`${resources.recordCount} + ${inserted}` })
      .where(eq(resources.id, resourceId));
  await appendAudit(ctx.tx, ctx, {
    action: "datahub.records.published",
    resourceType: "data-resource",
    resourceId,
    details: { inserted, updated: written.length - inserted },
  });
  return { inserted, updated: written.length - inserted };
}

export interface StoredRecord {
  recordKey: string;
  keyHash: string;
  subjectCitizenId: string | null;
  values: Record<string, unknown>;
}

/** Whether reading `fields` needs the resource's sealed (sensitive) items opened. */
export function needsSealed(resource: Pick<ResourceRow, "items">, fields: readonly string[]): boolean {
  return resource.items.some((i) => i.sensitive && fields.includes(i.name));
}

/** Records by key, sensitive items opened only when one of `fields` needs them. */
export async function readRecords(
  db: Db,
  keys: DataKeys,
  resource: Pick<ResourceRow, "id" | "items">,
  recordKeys: string[],
  fields: readonly string[],
): Promise<StoredRecord[]> {
  const openSealed = needsSealed(resource, fields);
  const rows = await rawQuery<{
    recordKey: string;
    keyHash: string;
    subjectCitizenId: string | null;
    data: Record<string, unknown> | string;
    sealed: Buffer | Uint8Array | null;
  }>(
    db,
    `select record_key as "recordKey", key_hash as "keyHash", subject_citizen_id as "subjectCitizenId", data${
      openSealed ? ", sealed" : ", null as sealed"
    } from datahub.records where resource_id = $1 and record_key = any($2::text[])`,
    [resource.id, recordKeys],
    { prepare: true },
  );
  return rows.map((r) => {
    const data = typeof r.data === "string" ? (JSON.parse(r.data) as Record<string, unknown>) : r.data;
    const values =
      r.sealed && openSealed
        ? { ...data, ...openValues(keys, resource.id, r.recordKey, Buffer.from(r.sealed)) }
        : data;
    return { recordKey: r.recordKey, keyHash: r.keyHash, subjectCitizenId: r.subjectCitizenId, values };
  });
}
