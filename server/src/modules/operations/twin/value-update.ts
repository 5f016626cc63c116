/**
 * The hot path of the partial attribute update (§5.6.4): a new value for a Property — with its
 * observedAt and unitCode at most — as devices and dashboards send many times a second. Concurrent
 * requests are written together (group commit, ADR 5): one statement sets the values, audits each
 * change and writes its event, a second keeps the history, in one transaction. Anything else (other
 * members, sub-attributes, a Relationship, an unknown entity) takes the general path, which also
 * explains a refusal.
 */

import { auditedBatchQuery } from "../../../kernel/audit/audited-statement";
import { WriteBatcher } from "../../../kernel/db/batcher";
import type { Db } from "../../../kernel/db/db";
import { isEmbedded, rawQuery } from "../../../kernel/db/db";
import type { Ctx } from "../../../kernel/http/context";
import { type Reading, storeReadings } from "../telemetry/store";
import { attributeFragment, isDateTime, isReadingValue, isUnitCode } from "./entity";
import { ENTITY_EVENTS } from "./twin.service";

export interface ValueUpdate {
  value: number | string | boolean;
  /** ISO 8601 UTC with milliseconds. */
  observedAt?: string;
  unitCode?: string;
}

/** The body as a value update when it is one (only value, observedAt, unitCode, type Property). */
export function valueUpdateOf(body: unknown): ValueUpdate | null {
  const fragment = attributeFragment(body);
  let update: ValueUpdate | null = null;
  for (const [key, member] of Object.entries(fragment)) {
    if (key === "value") {
      if (!isReadingValue(member)) return null;
      update = { value: member };
    } else if (key === "type" && member === "Property") continue;
    else if (key === "observedAt" && isDateTime(member)) continue;
    else if (key === "unitCode" && isUnitCode(member)) continue;
    else return null;
  }
  if (!update) return null;
  if (fragment.observedAt !== undefined)
    update.observedAt = new Date(fragment.observedAt as string).toISOString();
  if (fragment.unitCode !== undefined) update.unitCode = fragment.unitCode as string;
  return update;
}

interface Pending {
  ctx: Ctx;
  id: string;
  /** Attribute IRI. */
  attr: string;
  update: ValueUpdate;
}

const batchers = new WeakMap<Db, WriteBatcher<Pending, boolean>>();

function batcherFor(db: Db): WriteBatcher<Pending, boolean> {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new WriteBatcher((items) => writeValues(db, items), {
      maxBatch: 500,
      concurrency: isEmbedded(db) ? 1 : 4,
    });
    batchers.set(db, batcher);
  }
  return batcher;
}

/**
 * Sets the value, grouped with concurrent requests (the ctx is outside a transaction: batchable);
 * true when the entity holds the attribute as a Property without a datasetId and the value was
 * written, false when the general path has to decide.
 */
export function updateValue(ctx: Ctx, id: string, attr: string, update: ValueUpdate): Promise<boolean> {
  return batcherFor(ctx.tx).submit({ ctx, id, attr, update });
}

async function writeValues(db: Db, items: Pending[]): Promise<boolean[]> {
  const done = new Set<Pending>();
  const write = async (tx: Db) => {
    // One row per entity and statement (an update reaches each row once): later updates of the same
    // entity go in the next round, in the order they came.
    let rest = items;
    while (rest.length > 0) {
      const seen = new Set<string>();
      const round: Pending[] = [];
      const next: Pending[] = [];
      for (const item of rest) {
        if (seen.has(item.id)) next.push(item);
        else {
          seen.add(item.id);
          round.push(item);
        }
      }
      for (const item of await writeRound(tx, round)) done.add(item);
      rest = next;
    }
  };
  await db.transaction(async (tx) => write(tx as unknown as Db));
  return items.map((item) => done.has(item));
}

async function writeRound(tx: Db, round: Pending[]): Promise<Pending[]> {
  const query = auditedBatchQuery({
    columns: [
      { name: "id", type: "text" },
      { name: "attr", type: "text" },
      { name: "members", type: "jsonb" },
    ],
    rows: round.map(({ ctx, id, attr, update }) => ({
      ctx,
      values: [
        id,
        attr,
        {
          value: update.value,
          ...(update.observedAt ? { observedAt: update.observedAt } : {}),
          ...(update.unitCode ? { unitCode: update.unitCode } : {}),
          modifiedAt: ctx.clock.now().toISOString(),
        },
      ],
    })),
    change: `update operations.entities e set
        attrs = jsonb_set(e.attrs, array[i.attr], (e.attrs -> i.attr) || i.members),
        modified_at = i.at
      from input i
      where e.id = i.id and e.attrs -> i.attr ->> 'type' = 'Property' and not (e.attrs -> i.attr ? 'datasetId')
      returning e.id, e.types`,
    audit: { action: ENTITY_EVENTS.updated, resourceType: "twin-entity" },
    event: { topic: ENTITY_EVENTS.updated },
    detailsSql: "jsonb_build_object('types', to_jsonb(c.types), 'attributes', jsonb_build_array(i.attr))",
    payloadSql:
      "jsonb_build_object('id', i.id, 'types', to_jsonb(c.types), 'attributes', jsonb_build_array(i.attr))",
  });
  const changed = new Set(
    (await rawQuery<{ id: string }>(tx, query.text, query.params, { prepare: true })).map((r) => r.id),
  );
  const written = round.filter((item) => changed.has(item.id));
  // The new values join the attributes' history at their observedAt, or now (as a reading would).
  const readings: Reading[] = written.map(({ ctx, id, attr, update }) => ({
    entityId: id,
    attr,
    observedAt: update.observedAt ?? ctx.clock.now().toISOString(),
    value: update.value,
  }));
  if (readings.length > 0)
    await storeReadings(tx, readings, round[0]!.ctx.clock.now(), { updateEntities: false });
  return written;
}
