/**
 * Use cases of the twin's entity store (NGSI-LD §5.6): create, append, update, partial attribute
 * update, merge, replace and delete, one entity at a time or in batches. Every change is audited
 * and published as an event (operations.entity.created | updated | deleted) in its transaction.
 */
import { appendAudit } from "../../../kernel/audit/audit";
import { publishEvent } from "../../../kernel/events/events";
import type { Ctx } from "../../../kernel/http/context";
import { AppError } from "../../../kernel/http/errors";
import { type Reading, storeReadings } from "../telemetry/store";
import { type ActiveContext, compactIri, expandTerm } from "./context";
import {
  attributeFragment,
  bad,
  checkEntityId,
  isReadingValue,
  NGSI_NULL,
  parseAttribute,
  parseAttributes,
  parseEntity,
  type StoredAttr,
  type StoredEntity,
  stamp,
} from "./entity";
import { NgsiErrors } from "./errors";
import { deleteEntityRow, findEntity, insertEntities, saveEntity } from "./store";

export const ENTITY_EVENTS = {
  created: "operations.entity.created",
  updated: "operations.entity.updated",
  deleted: "operations.entity.deleted",
} as const;

export interface EntityChange {
  id: string;
  types: string[];
  /** Attribute IRIs that changed (all of them on create; none on delete). */
  attributes: string[];
}

export interface UpdateResult {
  updated: string[];
  notUpdated: { attributeName: string; reason: string }[];
}

/**
 * Scalar Property values changed through the API join the attribute's history (the time-series
 * store), at their observedAt or now — as a device's reading would. (The values an entity is
 * created with are its starting state, not readings.)
 */
async function keepHistory(ctx: Ctx, entity: StoredEntity, iris: string[]): Promise<void> {
  const now = ctx.clock.now().toISOString();
  const readings: Reading[] = [];
  for (const iri of iris) {
    const attr = entity.attrs[iri];
    if (attr?.type !== "Property") continue;
    const value = attr.value;
    if (!isReadingValue(value)) continue;
    readings.push({ entityId: entity.id, attr: iri, observedAt: attr.observedAt ?? now, value });
  }
  if (readings.length > 0) await storeReadings(ctx.tx, readings, ctx.clock.now(), { updateEntities: false });
}

async function record(ctx: Ctx, kind: keyof typeof ENTITY_EVENTS, change: EntityChange): Promise<void> {
  await appendAudit(ctx.tx, ctx, {
    action: ENTITY_EVENTS[kind],
    resourceType: "twin-entity",
    resourceId: change.id,
    details: { types: change.types, attributes: change.attributes.slice(0, 50) },
  });
  await publishEvent(ctx.tx, ENTITY_EVENTS[kind], change);
}

function notFound(id: string, attr?: string): AppError {
  return new AppError(NgsiErrors.NGSI_RESOURCE_NOT_FOUND, {
    message: attr ? `Entity ${id} has no attribute ${attr}` : `No entity ${id}`,
  });
}

async function load(ctx: Ctx, id: string): Promise<StoredEntity> {
  const entity = await findEntity(ctx.tx, checkEntityId(id), true);
  if (!entity) throw notFound(id);
  return entity;
}

/** A new entity from its payload, every attribute created now. */
function newEntity(context: ActiveContext, body: unknown, now: string): StoredEntity {
  const parsed = parseEntity(context, body);
  const attrs: Record<string, StoredAttr> = {};
  for (const [iri, attr] of Object.entries(parsed.attrs)) attrs[iri] = stamp(attr, now);
  return { id: parsed.id, types: parsed.types!, attrs, createdAt: now, modifiedAt: now };
}

function alreadyExists(id: string): AppError {
  return new AppError(NgsiErrors.NGSI_ALREADY_EXISTS, { message: `Entity ${id} exists already` });
}

export async function createEntity(ctx: Ctx, context: ActiveContext, body: unknown): Promise<string> {
  const entity = newEntity(context, body, ctx.clock.now().toISOString());
  if (!(await insertEntities(ctx, [entity], ENTITY_EVENTS.created)).has(entity.id))
    throw alreadyExists(entity.id);
  return entity.id;
}

async function saveChange(ctx: Ctx, entity: StoredEntity, changed: string[], now: string): Promise<void> {
  if (changed.length === 0) return;
  entity.modifiedAt = now;
  await saveEntity(ctx.tx, entity);
  await keepHistory(ctx, entity, changed);
  await record(ctx, "updated", { id: entity.id, types: entity.types, attributes: changed });
}

/** Append Entity Attributes (§5.6.3): adds new attributes, overwrites existing unless noOverwrite. */
export async function appendAttributes(
  ctx: Ctx,
  context: ActiveContext,
  id: string,
  body: unknown,
  noOverwrite: boolean,
): Promise<UpdateResult> {
  const fragment = fragmentOf(body);
  const entity = await load(ctx, id);
  const attrs = parseAttributes(context, fragment, "attrs");
  const now = ctx.clock.now().toISOString();
  const result: UpdateResult = { updated: [], notUpdated: [] };
  for (const [iri, attr] of Object.entries(attrs)) {
    const previous = entity.attrs[iri];
    if (previous && noOverwrite) {
      result.notUpdated.push({
        attributeName: compactIri(context, iri),
        reason: "the attribute exists (noOverwrite)",
      });
      continue;
    }
    entity.attrs[iri] = stamp(attr, now, previous);
    result.updated.push(iri);
  }
  if (fragment.type !== undefined) addTypes(context, entity, fragment.type);
  await saveChange(ctx, entity, result.updated, now);
  return { ...result, updated: result.updated.map((iri) => compactIri(context, iri)) };
}

/** Update Entity Attributes (§5.6.2): replaces existing attributes only. */
export async function updateAttributes(
  ctx: Ctx,
  context: ActiveContext,
  id: string,
  body: unknown,
): Promise<UpdateResult> {
  const fragment = fragmentOf(body);
  const entity = await load(ctx, id);
  const attrs = parseAttributes(context, fragment, "attrs");
  const now = ctx.clock.now().toISOString();
  const result: UpdateResult = { updated: [], notUpdated: [] };
  for (const [iri, attr] of Object.entries(attrs)) {
    const previous = entity.attrs[iri];
    if (!previous) {
      result.notUpdated.push({
        attributeName: compactIri(context, iri),
        reason: "the entity has no such attribute",
      });
      continue;
    }
    entity.attrs[iri] = stamp(attr, now, previous);
    result.updated.push(iri);
  }
  await saveChange(ctx, entity, result.updated, now);
  return { ...result, updated: result.updated.map((iri) => compactIri(context, iri)) };
}

const SYSTEM_MEMBERS = new Set(["createdAt", "modifiedAt"]);
const ATTR_MEMBERS = new Set([
  "type",
  "value",
  "object",
  "languageMap",
  "observedAt",
  "unitCode",
  "datasetId",
]);

/** The member holding each kind's value. */
const VALUE_MEMBERS: Record<string, string[]> = {
  value: ["Property", "GeoProperty"],
  object: ["Relationship"],
  languageMap: ["LanguageProperty"],
};

/**
 * Partial Attribute Update (§5.6.4): the members sent replace those of the attribute (e.g. only its
 * value and observedAt); sub-attributes sent replace theirs; the attribute's kind cannot change.
 */
export async function patchAttribute(
  ctx: Ctx,
  context: ActiveContext,
  id: string,
  attrName: string,
  body: unknown,
): Promise<void> {
  const iri = expandTerm(context, attrName);
  const entity = await load(ctx, id);
  const previous = entity.attrs[iri];
  if (!previous) throw notFound(id, attrName);
  const fragment = attributeFragment(body);
  if ("@context" in fragment) delete fragment["@context"];
  if (Object.keys(fragment).length === 0) throw bad("the attribute fragment is empty");
  const kind =
    typeof fragment.type === "string"
      ? fragment.type.replace(/^https:\/\/uri\.etsi\.org\/ngsi-ld\//, "")
      : undefined;
  if (kind !== undefined && kind !== previous.type)
    throw bad(`${attrName} is a ${previous.type}; a partial update cannot make it a ${kind}`);
  for (const [member, owner] of Object.entries(VALUE_MEMBERS))
    if (member in fragment && !owner.includes(previous.type))
      throw bad(`${attrName} is a ${previous.type}: it has no ${member}`);
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(previous)) if (!SYSTEM_MEMBERS.has(key)) merged[key] = value;
  for (const [key, value] of Object.entries(fragment)) {
    if (SYSTEM_MEMBERS.has(key)) continue;
    merged[ATTR_MEMBERS.has(key) ? key : expandTerm(context, key)] = value;
  }
  entity.attrs[iri] = stamp(
    parseAttribute(context, iri, merged, attrName),
    ctx.clock.now().toISOString(),
    previous,
  );
  await saveChange(ctx, entity, [iri], ctx.clock.now().toISOString());
}

export async function deleteAttribute(
  ctx: Ctx,
  context: ActiveContext,
  id: string,
  attrName: string,
): Promise<void> {
  const iri = expandTerm(context, attrName);
  const entity = await load(ctx, id);
  if (!entity.attrs[iri]) throw notFound(id, attrName);
  delete entity.attrs[iri];
  await saveChange(ctx, entity, [iri], ctx.clock.now().toISOString());
}

export async function deleteEntity(ctx: Ctx, id: string): Promise<void> {
  const entity = await load(ctx, id);
  await deleteEntityRow(ctx.tx, entity.id);
  await record(ctx, "deleted", { id: entity.id, types: entity.types, attributes: [] });
}

/** Merge Entity (§5.6.17): attributes sent are added or replaced; urn:ngsi-ld:null removes one. */
export async function mergeEntity(
  ctx: Ctx,
  context: ActiveContext,
  id: string,
  body: unknown,
): Promise<void> {
  const fragment = fragmentOf(body);
  if (fragment.id !== undefined && fragment.id !== id)
    throw bad("the body's id differs from the entity in the path");
  const entity = await load(ctx, id);
  const attrs = parseAttributes(context, fragment, "entity", { allowNull: true });
  const now = ctx.clock.now().toISOString();
  const changed: string[] = [];
  for (const [iri, attr] of Object.entries(attrs)) {
    if (attr.value === NGSI_NULL) {
      if (entity.attrs[iri]) {
        delete entity.attrs[iri];
        changed.push(iri);
      }
      continue;
    }
    entity.attrs[iri] = stamp(attr, now, entity.attrs[iri]);
    changed.push(iri);
  }
  if (fragment.type !== undefined) addTypes(context, entity, fragment.type);
  await saveChange(ctx, entity, changed, now);
}

/** Replace Entity (§5.6.18): the entity keeps its id and creation time; everything else is the body's. */
export async function replaceEntity(
  ctx: Ctx,
  context: ActiveContext,
  id: string,
  body: unknown,
): Promise<void> {
  const fragment = fragmentOf(body);
  const parsed = parseEntity(context, { ...fragment, id: fragment.id ?? id });
  if (parsed.id !== id) throw bad("the body's id differs from the entity in the path");
  const entity = await load(ctx, id);
  const now = ctx.clock.now().toISOString();
  const changed = [...new Set([...Object.keys(entity.attrs), ...Object.keys(parsed.attrs)])];
  entity.types = parsed.types!;
  entity.attrs = Object.fromEntries(
    Object.entries(parsed.attrs).map(([iri, attr]) => [iri, stamp(attr, now, entity.attrs[iri])]),
  );
  entity.modifiedAt = now;
  await saveEntity(ctx.tx, entity);
  await keepHistory(ctx, entity, Object.keys(entity.attrs));
  await record(ctx, "updated", { id, types: entity.types, attributes: changed });
}

function addTypes(context: ActiveContext, entity: StoredEntity, type: unknown): void {
  const list = Array.isArray(type) ? type : [type];
  for (const t of list) {
    if (typeof t !== "string") throw bad("type must be a string or an array of strings");
    const iri = expandTerm(context, t);
    if (!entity.types.includes(iri)) entity.types.push(iri);
  }
}

function fragmentOf(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw bad("the body must be a JSON object");
  return body as Record<string, unknown>;
}

export interface BatchResult {
  success: string[];
  errors: { entityId: string; error: { type: string; title: string; status: number; detail: string } }[];
  /** Upsert: ids that were created rather than updated. */
  created: string[];
}

export const MAX_BATCH = 1000;

/**
 * Batch operations (§5.6.7–5.6.10): each entity succeeds or fails on its own; failures are reported
 * per entity with their ProblemDetails, as in the BatchOperationResult of §5.2.16.
 */
export async function runBatch(
  ctx: Ctx,
  contextOf: (item: unknown) => ActiveContext,
  operation: "create" | "upsert" | "update" | "delete",
  body: unknown,
  options: { replace: boolean; noOverwrite: boolean },
): Promise<BatchResult> {
  if (!Array.isArray(body)) throw bad("a batch body is a JSON array");
  if (body.length === 0) throw bad("a batch needs at least one entity");
  if (body.length > MAX_BATCH) throw bad(`a batch holds at most ${MAX_BATCH} entities`);
  if (operation === "create") return createBatch(ctx, contextOf, body);
  const result: BatchResult = { success: [], errors: [], created: [] };
  for (const [i, item] of body.entries()) {
    const entityId = operation === "delete" ? String(item) : itemId(item, i);
    try {
      const itemContext = contextOf(item);
      switch (operation) {
        case "delete":
          await deleteEntity(ctx, checkEntityId(item, `[${i}]`));
          break;
        case "update": {
          const { id: _id, type: _type, ...attrs } = fragmentOf(withoutContext(item));
          const outcome = await appendAttributes(ctx, itemContext, entityId, attrs, options.noOverwrite);
          if (outcome.notUpdated.length > 0)
            throw bad(`not updated: ${outcome.notUpdated.map((n) => n.attributeName).join(", ")}`);
          break;
        }
        case "upsert": {
          const id = checkEntityId(entityId, `[${i}].id`);
          const exists = await findEntity(ctx.tx, id, true);
          if (!exists) {
            await createEntity(ctx, itemContext, withoutContext(item));
            result.created.push(id);
          } else if (options.replace) await replaceEntity(ctx, itemContext, id, withoutContext(item));
          else await mergeEntity(ctx, itemContext, id, withoutContext(item));
          break;
        }
      }
      result.success.push(entityId);
    } catch (e) {
      result.errors.push(batchError(entityId, e));
    }
  }
  return result;
}

function itemId(item: unknown, index: number): string {
  const entity = item as { id?: unknown; "@id"?: unknown } | null;
  return String(entity?.id ?? entity?.["@id"] ?? `[${index}]`);
}

function batchError(entityId: string, e: unknown): BatchResult["errors"][number] {
  if (!(e instanceof AppError)) throw e;
  return { entityId, error: { type: e.type ?? e.code, title: e.title, status: e.status, detail: e.message } };
}

/** Batch create: every valid entity inserted by one statement, each audited and published. */
async function createBatch(
  ctx: Ctx,
  contextOf: (item: unknown) => ActiveContext,
  body: unknown[],
): Promise<BatchResult> {
  const now = ctx.clock.now().toISOString();
  /** Per item, in the body's order: the entity to insert, or why not. */
  const outcomes: (StoredEntity | BatchResult["errors"][number])[] = [];
  const seen = new Set<string>();
  for (const [i, item] of body.entries()) {
    const entityId = itemId(item, i);
    try {
      if (seen.has(entityId))
        throw new AppError(NgsiErrors.NGSI_ALREADY_EXISTS, {
          message: `Entity ${entityId} appears twice in the batch`,
        });
      seen.add(entityId);
      outcomes.push(newEntity(contextOf(item), withoutContext(item), now));
    } catch (e) {
      outcomes.push(batchError(entityId, e));
    }
  }
  const valid = outcomes.filter((o): o is StoredEntity => "attrs" in o);
  const inserted = await insertEntities(ctx, valid, ENTITY_EVENTS.created);
  const result: BatchResult = { success: [], errors: [], created: [] };
  for (const outcome of outcomes) {
    if (!("attrs" in outcome)) result.errors.push(outcome);
    else if (inserted.has(outcome.id)) result.success.push(outcome.id);
    else result.errors.push(batchError(outcome.id, alreadyExists(outcome.id)));
  }
  return result;
}

function withoutContext(item: unknown): unknown {
  if (!item || typeof item !== "object" || Array.isArray(item)) return item;
  const { "@context": _context, ...rest } = item as Record<string, unknown>;
  return rest;
}
