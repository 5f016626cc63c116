/** SQL of the twin's entity store (operations.entities). */
import { type SQL, sql } from "drizzle-orm";
import { auditedBatchQuery } from "../../../kernel/audit/audited-statement";
import type { Db } from "../../../kernel/db/db";
import { isoTimestampSql, queryRows, rawQuery } from "../../../kernel/db/db";
import type { Ctx } from "../../../kernel/http/context";
import { AppError } from "../../../kernel/http/errors";
import { NGSI_LD } from "./context";
import type { StoredAttr, StoredEntity } from "./entity";
import { NgsiErrors } from "./errors";
import { type BBox, bboxOf, candidateBox, type Geometry, type GeoQuery, matchesGeo } from "./geo";

const LOCATION = `${NGSI_LD}location`;
/** A geo-query decides the exact relation in the process: more candidates than this are refused. */
export const MAX_GEO_CANDIDATES = 20_000;

interface Row {
  id: string;
  types: string[];
  attrs: Record<string, StoredAttr> | string;
  created_at: string;
  modified_at: string;
}

const COLUMNS = sql.raw(`e.id, e.types, e.attrs, ${isoTimestampSql("e.created_at")} as created_at,
  ${isoTimestampSql("e.modified_at")} as modified_at`);

function toEntity(row: Row): StoredEntity {
  return {
    id: row.id,
    types: row.types,
    attrs: typeof row.attrs === "string" ? JSON.parse(row.attrs) : row.attrs,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
  };
}

function locationBox(attrs: Record<string, StoredAttr>): BBox | [null, null, null, null] {
  const location = attrs[LOCATION];
  return location?.type === "GeoProperty" ? bboxOf(location.value as Geometry) : [null, null, null, null];
}

export async function findEntity(tx: Db, id: string, forUpdate = false): Promise<StoredEntity | null> {
  const rows = await queryRows<Row>(
    tx,
    sql`select ${COLUMNS} from operations.entities e where e.id = ${id} ${forUpdate ? sql`for update` : sql``}`,
  );
  return rows[0] ? toEntity(rows[0]) : null;
}

/**
 * Inserts new entities with one statement, each with its audit record and `created` event (the
 * batch create); returns the ids inserted (an id taken already is left out).
 */
export async function insertEntities(
  ctx: Ctx,
  entities: StoredEntity[],
  event: string,
): Promise<Set<string>> {
  if (entities.length === 0) return new Set();
  const query = auditedBatchQuery({
    columns: [
      { name: "id", type: "text" },
      { name: "types", type: "text[]" },
      { name: "attrs", type: "jsonb" },
      { name: "min_lon", type: "float8" },
      { name: "min_lat", type: "float8" },
      { name: "max_lon", type: "float8" },
      { name: "max_lat", type: "float8" },
    ],
    rows: entities.map((entity) => {
      const change = { types: entity.types, attributes: Object.keys(entity.attrs) };
      return {
        ctx,
        values: [entity.id, entity.types, entity.attrs, ...locationBox(entity.attrs)],
        details: { types: change.types, attributes: change.attributes.slice(0, 50) },
        payload: { id: entity.id, ...change },
      };
    }),
    change: `insert into operations.entities (id, types, attrs, created_at, modified_at, min_lon, min_lat, max_lon, max_lat)
      select i.id, i.types, i.attrs, i.at, i.at, i.min_lon, i.min_lat, i.max_lon, i.max_lat from input i
      on conflict (id) do nothing returning id`,
    audit: { action: event, resourceType: "twin-entity" },
    event: { topic: event },
  });
  return new Set(
    (await rawQuery<{ id: string }>(ctx.tx, query.text, query.params, { prepare: true })).map((r) => r.id),
  );
}

export async function saveEntity(tx: Db, entity: StoredEntity): Promise<void> {
  const [minLon, minLat, maxLon, maxLat] = locationBox(entity.attrs);
  await tx.execute(
    sql`update operations.entities set types = ${sql.param(entity.types)}::text[], attrs = ${JSON.stringify(entity.attrs)}::jsonb,
          modified_at = ${entity.modifiedAt}::timestamptz, min_lon = ${minLon}, min_lat = ${minLat},
          max_lon = ${maxLon}, max_lat = ${maxLat}
        where id = ${entity.id}`,
  );
}

export async function deleteEntityRow(tx: Db, id: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`delete from operations.entities where id = ${id} returning id`,
  );
  return rows.length === 1;
}

export interface EntityQuery {
  ids: string[] | null;
  idPattern: string | null;
  /** Any of these types (IRIs). */
  types: string[] | null;
  /** The entity has at least one of these attributes (IRIs). */
  withAnyAttr: string[] | null;
  q: SQL | null;
  geo: GeoQuery | null;
  limit: number;
  offset: number;
  count: boolean;
}

const INVALID_REGEX = "2201B";

async function run(tx: Db, query: SQL): Promise<Row[]> {
  try {
    return await queryRows<Row>(tx, query);
  } catch (e) {
    const code = (e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code;
    if (code === INVALID_REGEX)
      throw new AppError(NgsiErrors.NGSI_BAD_REQUEST_DATA, {
        message: "a regular expression in the query is not valid",
      });
    throw e;
  }
}

/** Entities matching a query, in insertion order, with the total when asked. */
export async function queryEntities(
  tx: Db,
  query: EntityQuery,
): Promise<{ entities: StoredEntity[]; total: number | null }> {
  const where: SQL[] = [];
  if (query.ids) where.push(sql`e.id = any(${sql.param(query.ids)}::text[])`);
  if (query.idPattern) where.push(sql`e.id ~ ${query.idPattern}`);
  if (query.types) where.push(sql`e.types && ${sql.param(query.types)}::text[]`);
  if (query.withAnyAttr) where.push(sql`e.attrs ?| ${sql.param(query.withAnyAttr)}::text[]`);
  if (query.q) where.push(query.q);
  const geo = query.geo;
  if (geo) {
    where.push(sql`e.attrs ? ${geo.geoproperty}`);
    const box = geo.geoproperty === LOCATION ? candidateBox(geo) : null;
    if (box)
      where.push(
        sql`e.min_lon <= ${box[2]} and e.max_lon >= ${box[0]} and e.min_lat <= ${box[3]} and e.max_lat >= ${box[1]}`,
      );
  }
  const condition = where.length > 0 ? sql`where ${sql.join(where, sql` and `)}` : sql``;
  if (!geo) {
    const rows = await run(
      tx,
      sql`select ${COLUMNS} from operations.entities e ${condition} order by e.seq
          limit ${query.limit} offset ${query.offset}`,
    );
    let count: number | null = null;
    // Counted apart: a window count would carry every match's attributes through the sort.
    if (query.count) {
      if (rows.length > 0 && rows.length < query.limit) count = query.offset + rows.length;
      else if (rows.length === 0 && query.offset === 0 && query.limit > 0) count = 0;
      else {
        const [c] = await queryRows<{ n: string }>(
          tx,
          sql`select count(*)::text as n from operations.entities e ${condition}`,
        );
        count = Number(c?.n ?? 0);
      }
    }
    return { entities: rows.map(toEntity), total: count };
  }
  const rows = await run(
    tx,
    sql`select ${COLUMNS} from operations.entities e ${condition} order by e.seq limit ${MAX_GEO_CANDIDATES + 1}`,
  );
  if (rows.length > MAX_GEO_CANDIDATES)
    throw new AppError(NgsiErrors.NGSI_TOO_MANY_RESULTS, {
      message: `the geo-query reaches more than ${MAX_GEO_CANDIDATES} entities; narrow it by type, q or area`,
    });
  const matched = rows.map(toEntity).filter((e) => {
    const g = e.attrs[geo.geoproperty];
    return g?.type === "GeoProperty" && matchesGeo(g.value as Geometry, geo);
  });
  return {
    entities: matched.slice(query.offset, query.offset + query.limit),
    total: query.count ? matched.length : null,
  };
}

export async function listEntityTypes(tx: Db): Promise<{ type: string; count: number }[]> {
  const rows = await queryRows<{ type: string; n: string }>(
    tx,
    sql`select t as type, count(*)::text as n from operations.entities e, unnest(e.types) t group by t order by t`,
  );
  return rows.map((r) => ({ type: r.type, count: Number(r.n) }));
}
