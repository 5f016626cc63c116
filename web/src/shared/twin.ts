/**
 * The digital twin's NGSI-LD API (/ngsi-ld/v1, server/src/modules/operations/twin) as the twin page uses
 * it: every entity of the scenic area in key-value form for the map, one entity in normalized form for its
 * drawer, and a sensor's history from the temporal API (aggregated values). The entity types and their
 * attributes mirror server/src/modules/operations/twin/demo-twin.ts: keep the two in step.
 */
import { ApiError, api, CLIENT_CODES } from "./api";

const BASE = "/ngsi-ld/v1";
const enc = encodeURIComponent;
/** The API's largest page (ngsi.routes.ts MAX_LIMIT). */
const PAGE = 1000;

// ─── entity types ─────────────────────────────────────────────────────────────────────────────

export const SENSOR_TYPES = [
  "CrowdCounter",
  "TrafficFlowObserved",
  "AirQualityObserved",
  "WeatherObserved",
  "WaterLevelObserved",
] as const;
export type SensorType = (typeof SENSOR_TYPES)[number];

export const TWIN_TYPES = ["Area", "Building", "Component", "Camera", ...SENSOR_TYPES] as const;
export type TwinType = (typeof TWIN_TYPES)[number];

export function isTwinType(type: string): type is TwinType {
  return (TWIN_TYPES as readonly string[]).includes(type);
}
export function isSensorType(type: string): type is SensorType {
  return (SENSOR_TYPES as readonly string[]).includes(type);
}

/** The readings each sensor type reports, the first being the one its history shows first. */
export const SENSOR_READINGS: Record<SensorType, readonly string[]> = {
  CrowdCounter: ["peopleCount"],
  TrafficFlowObserved: ["intensity", "averageVehicleSpeed", "congestionIndex"],
  AirQualityObserved: ["aqi", "pm25", "pm10"],
  WeatherObserved: ["temperature", "relativeHumidity", "windSpeed", "precipitation"],
  WaterLevelObserved: ["waterLevel"],
};

// ─── GeoJSON geometry (what GeoProperty values hold) ─────────────────────────────────────────

export type Position = [number, number] | [number, number, number];
export type Geometry =
  | { type: "Point"; coordinates: Position }
  | { type: "MultiPoint"; coordinates: Position[] }
  | { type: "LineString"; coordinates: Position[] }
  | { type: "MultiLineString"; coordinates: Position[][] }
  | { type: "Polygon"; coordinates: Position[][] }
  | { type: "MultiPolygon"; coordinates: Position[][][] };

export function isGeometry(value: unknown): value is Geometry {
  if (typeof value !== "object" || value === null) return false;
  const { type, coordinates } = value as { type?: unknown; coordinates?: unknown };
  return (
    typeof type === "string" &&
    ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"].includes(type) &&
    Array.isArray(coordinates)
  );
}

// ─── entities ────────────────────────────────────────────────────────────────────────────────

/** An entity in key-value form (options=keyValues): attribute name → value, relationship → target id. */
export interface TwinEntity {
  id: string;
  type: string;
  [attribute: string]: unknown;
}

/** One attribute in normalized form. */
export interface NgsiAttribute {
  type: "Property" | "Relationship" | "GeoProperty" | "LanguageProperty" | "ListProperty" | string;
  value?: unknown;
  object?: string | string[];
  unitCode?: string;
  observedAt?: string;
  [member: string]: unknown;
}

/** An entity in normalized form: every attribute with its type, unit and observation time. */
export interface NgsiEntity {
  id: string;
  type: string;
  [attribute: string]: unknown;
}

const RESERVED = new Set(["id", "type", "@context", "scope", "createdAt", "modifiedAt"]);

/** The entity's attributes (one instance each), in the order the server sent them. */
export function attributesOf(entity: NgsiEntity): [name: string, attribute: NgsiAttribute][] {
  const out: [string, NgsiAttribute][] = [];
  for (const [name, raw] of Object.entries(entity)) {
    if (RESERVED.has(name)) continue;
    // A multi-attribute (several datasetIds) arrives as an array: the default instance comes first.
    const first = Array.isArray(raw) ? raw[0] : raw;
    if (first && typeof first === "object" && typeof (first as NgsiAttribute).type === "string")
      out.push([name, first as NgsiAttribute]);
  }
  return out;
}

/**
 * Every entity of the given types in key-value form, page by page. The twin has about 600 entities, so
 * this is one request today; the loop keeps the map whole when it grows past a page.
 */
export async function listTwinEntities(
  types: readonly string[],
  signal?: AbortSignal,
): Promise<TwinEntity[]> {
  const all: TwinEntity[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await api.get<TwinEntity[]>(
      `${BASE}/entities`,
      { type: types.join(","), options: "keyValues", limit: PAGE, offset },
      signal,
    );
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}

/** One entity in normalized form (404 ResourceNotFound when it is gone). */
export function getTwinEntity(id: string, signal?: AbortSignal): Promise<NgsiEntity> {
  return api.get<NgsiEntity>(`${BASE}/entities/${enc(id)}`, undefined, signal);
}

// ─── history (the temporal API) ──────────────────────────────────────────────────────────────

/** One aggregated period: its average and when it started. */
export interface HistoryPoint {
  at: string;
  value: number;
}

/** An ISO 8601 duration such as PT5M or PT1H. */
export type PeriodDuration = `PT${number}${"M" | "H"}`;

/**
 * The averages of one attribute per period since `from`, from
 * `GET /ngsi-ld/v1/temporal/entities/{id}?…&aggrMethods=avg&options=aggregatedValues`. Null when the
 * history is not available: the temporal API is missing (404, or the web app's own page where no API
 * route answers) or the entity has no stored history. Other errors (403, 500) are thrown.
 */
export async function getTwinHistory(
  id: string,
  attribute: string,
  options: { from: Date; period: PeriodDuration },
  signal?: AbortSignal,
): Promise<HistoryPoint[] | null> {
  let body: Record<string, unknown>;
  try {
    body = await api.get<Record<string, unknown>>(
      `${BASE}/temporal/entities/${enc(id)}`,
      {
        attrs: attribute,
        timerel: "after",
        timeAt: options.from.toISOString(),
        aggrMethods: "avg",
        aggrPeriodDuration: options.period,
        options: "aggregatedValues",
      },
      signal,
    );
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.code === CLIENT_CODES.BAD_RESPONSE))
      return null;
    throw error;
  }
  if (typeof body !== "object" || body === null) return null;
  const raw = body[attribute];
  const attr = (Array.isArray(raw) ? raw[0] : raw) as { avg?: unknown } | undefined;
  if (!attr || !Array.isArray(attr.avg)) return null;
  const points: HistoryPoint[] = [];
  for (const item of attr.avg) {
    if (!Array.isArray(item)) continue;
    const [value, start] = item as [unknown, unknown];
    if (typeof value === "number" && Number.isFinite(value) && typeof start === "string")
      points.push({ at: start, value });
  }
  points.sort((a, b) => a.at.localeCompare(b.at));
  return points.length > 0 ? points : null;
}

// ─── picking entities (a device's binding on the admin's twin clients page) ───────────────────

/** The entity types the twin holds, by their short names (EntityTypeList). */
export async function listTwinEntityTypes(signal?: AbortSignal): Promise<string[]> {
  const body = await api.get<{ typeList?: unknown }>(`${BASE}/types`, undefined, signal);
  return Array.isArray(body.typeList) ? body.typeList.filter((t): t is string => typeof t === "string") : [];
}

/**
 * A regular expression matching `text` literally in any letter case ("Gate" → "[gG][aA][tT][eE]"): the
 * server runs it in PostgreSQL and checks it with JavaScript, so it uses what both read alike.
 */
export function caselessPattern(text: string): string {
  let out = "";
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower !== upper && /^[a-z]$/i.test(ch)) out += `[${lower}${upper}]`;
    else if (/[\\^$.|?*+()[\]{}]/.test(ch)) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

export interface EntitySearch {
  /** Entities in key-value form: id, type and, where it has one, name. */
  entities: TwinEntity[];
  /** True when a query hit its limit: a narrower search finds the rest. */
  more: boolean;
}

/**
 * Entities of the given types whose id or name contains `text` (any case), at most `limit` by id and
 * `limit` by name. Without text, the first `limit` of those types. The search by id asks for whole
 * entities: `attrs=name` would leave out those without a name.
 */
export async function searchTwinEntities(
  types: readonly string[],
  text: string,
  limit: number,
  signal?: AbortSignal,
): Promise<EntitySearch> {
  const common = { type: types.join(","), options: "keyValues", limit };
  const words = text.trim().replaceAll('"', "");
  const byId = api.get<TwinEntity[]>(
    `${BASE}/entities`,
    { ...common, idPattern: words ? caselessPattern(words) : undefined },
    signal,
  );
  const byName = words
    ? api.get<TwinEntity[]>(
        `${BASE}/entities`,
        { ...common, attrs: "name", q: `name~="${caselessPattern(words)}"` },
        signal,
      )
    : Promise.resolve([]);
  const [ids, names] = await Promise.all([byId, byName]);
  const seen = new Map<string, TwinEntity>();
  for (const entity of [...ids, ...names]) seen.set(entity.id, entity);
  return { entities: [...seen.values()], more: ids.length >= limit || names.length >= limit };
}

/** These entities in key-value form (a device's bound entities, for their names); ids the twin lacks are left out. */
export function getTwinEntities(ids: readonly string[], signal?: AbortSignal): Promise<TwinEntity[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return api.get<TwinEntity[]>(
    `${BASE}/entities`,
    { id: ids.join(","), options: "keyValues", limit: PAGE },
    signal,
  );
}
