/**
 * What the twin page draws, computed from the entities in key-value form: each zone's crowd load (承载率),
 * each point's state, and the GeoJSON the map's layers read. Pure functions, no React.
 */
import {
  type Geometry,
  isGeometry,
  isSensorType,
  type Position,
  type TwinEntity,
} from "../../../shared/twin";

/** The layer switcher's groups. */
export const GROUPS = ["buildings", "components", "cameras", "sensors", "zones"] as const;
export type Group = (typeof GROUPS)[number];

export function groupOf(type: string): Group | null {
  if (type === "Area") return "zones";
  if (type === "Building") return "buildings";
  if (type === "Component") return "components";
  if (type === "Camera") return "cameras";
  if (isSensorType(type)) return "sensors";
  return null;
}

/** green < 60 %, yellow < 80 %, orange < 95 % of capacity, red above; alarm also marks a fault or offline. */
export type Level = "green" | "yellow" | "orange" | "red";
export const LEVELS: readonly Level[] = ["green", "yellow", "orange", "red"];

export const LEVEL_COLORS: Record<Level, string> = {
  green: "#52c41a",
  yellow: "#fadb14",
  orange: "#fa8c16",
  red: "#f5222d",
};

export function levelOfLoad(load: number): Level {
  if (load < 0.6) return "green";
  if (load < 0.8) return "yellow";
  if (load < 0.95) return "orange";
  return "red";
}

/** Steps of a reading: below the first bound is green, below the second yellow, the third orange. */
function stepped(value: unknown, bounds: [number, number, number]): Level {
  if (typeof value !== "number" || !Number.isFinite(value)) return "green";
  if (value < bounds[0]) return "green";
  if (value < bounds[1]) return "yellow";
  if (value < bounds[2]) return "orange";
  return "red";
}

const text = (value: unknown): string => (typeof value === "string" ? value : "");
const num = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

export function nameOf(entity: TwinEntity): string {
  return text(entity.name) || entity.id.replace(/^urn:ngsi-ld:[^:]+:/, "");
}

export interface ZoneView {
  id: string;
  name: string;
  /** scenic: the whole scenic area; zone: one of its parts. */
  category: string;
  capacity: number | null;
  /** Sum of peopleCount of the crowd counters in the zone (all of them for the scenic area). */
  people: number;
  counters: number;
  load: number | null;
  level: Level | null;
  geometry: Geometry | null;
}

/** The state a point is drawn in. */
export function pointLevel(entity: TwinEntity, zones: Map<string, ZoneView>): Level {
  const status = text(entity.status);
  if (status === "fault" || status === "offline") return "red";
  switch (entity.type) {
    case "CrowdCounter":
      return zones.get(text(entity.refArea))?.level ?? "green";
    // 环境空气质量指数: 优 ≤ 50, 良 ≤ 100, 轻度污染 ≤ 150, worse above (HJ 633).
    case "AirQualityObserved":
      return stepped(entity.aqi, [51, 101, 151]);
    // 交通拥堵延时指数: 畅通 < 1.5, 缓行 < 2, 拥堵 < 4, 严重拥堵 from 4.
    case "TrafficFlowObserved":
      return stepped(entity.congestionIndex, [1.5, 2, 4]);
    // Rain in mm per hour: 小雨 < 2.5, 中雨 < 8, 大雨 < 16, 短时强降水 from 16.
    case "WeatherObserved":
      return stepped(entity.precipitation, [2.5, 8, 16]);
    default:
      return "green";
  }
}

/** Crowd load of each area from the crowd counters that refer to it. */
export function zoneViews(entities: readonly TwinEntity[]): Map<string, ZoneView> {
  const people = new Map<string, { sum: number; n: number }>();
  let total = 0;
  let totalCounters = 0;
  for (const e of entities) {
    if (e.type !== "CrowdCounter") continue;
    const count = num(e.peopleCount);
    if (count === null) continue;
    const zone = text(e.refArea);
    const entry = people.get(zone) ?? { sum: 0, n: 0 };
    entry.sum += count;
    entry.n += 1;
    people.set(zone, entry);
    total += count;
    totalCounters += 1;
  }
  const zones = new Map<string, ZoneView>();
  for (const e of entities) {
    if (e.type !== "Area") continue;
    const category = text(e.category);
    const scenic = category === "scenic";
    const counted = scenic ? { sum: total, n: totalCounters } : (people.get(e.id) ?? { sum: 0, n: 0 });
    const capacity = num(e.capacity);
    const load = capacity && capacity > 0 && counted.n > 0 ? counted.sum / capacity : null;
    zones.set(e.id, {
      id: e.id,
      name: nameOf(e),
      category,
      capacity,
      people: counted.sum,
      counters: counted.n,
      load,
      level: load === null ? null : levelOfLoad(load),
      geometry: isGeometry(e.location) ? e.location : null,
    });
  }
  return zones;
}

// ─── geometry helpers ────────────────────────────────────────────────────────────────────────

function positions(geometry: Geometry): Position[] {
  switch (geometry.type) {
    case "Point":
      return [geometry.coordinates];
    case "MultiPoint":
    case "LineString":
      return geometry.coordinates;
    case "MultiLineString":
    case "Polygon":
      return geometry.coordinates.flat();
    case "MultiPolygon":
      return geometry.coordinates.flat(2);
  }
}

export type Bounds = [west: number, south: number, east: number, north: number];

export function boundsOf(geometry: Geometry): Bounds | null {
  const all = positions(geometry);
  if (all.length === 0) return null;
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of all) {
    west = Math.min(west, x);
    east = Math.max(east, x);
    south = Math.min(south, y);
    north = Math.max(north, y);
  }
  return [west, south, east, north];
}

/** The middle of the geometry's bounding box: where the map flies to and a label sits. */
export function centerOf(geometry: Geometry): [number, number] | null {
  const b = boundsOf(geometry);
  return b ? [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2] : null;
}

// ─── what the map draws ──────────────────────────────────────────────────────────────────────

export interface MapFeature {
  type: "Feature";
  id?: string;
  properties: Record<string, string | number | boolean | null>;
  geometry: Geometry;
}
export interface MapFeatures {
  type: "FeatureCollection";
  features: MapFeature[];
}

export interface TwinModel {
  byId: Map<string, TwinEntity>;
  zones: Map<string, ZoneView>;
  scenic: ZoneView | null;
  layers: Record<Group, MapFeatures>;
  /** Points drawn red: faults and offline devices. */
  alarms: number;
}

const collection = (): MapFeatures => ({ type: "FeatureCollection", features: [] });

export function buildModel(entities: readonly TwinEntity[]): TwinModel {
  const zones = zoneViews(entities);
  const byId = new Map(entities.map((e) => [e.id, e]));
  const layers: Record<Group, MapFeatures> = {
    buildings: collection(),
    components: collection(),
    cameras: collection(),
    sensors: collection(),
    zones: collection(),
  };
  let alarms = 0;
  for (const e of entities) {
    const group = groupOf(e.type);
    if (!group || !isGeometry(e.location)) continue;
    const base = { id: e.id, type: e.type, name: nameOf(e) };
    if (group === "zones") {
      const zone = zones.get(e.id);
      layers.zones.features.push({
        type: "Feature",
        geometry: e.location,
        properties: {
          ...base,
          category: zone?.category ?? "",
          level: zone?.level ?? "none",
          load: zone?.load ?? null,
        },
      });
    } else if (group === "buildings") {
      layers.buildings.features.push({
        type: "Feature",
        geometry: e.location,
        properties: { ...base, category: text(e.category), height: num(e.height) ?? 10 },
      });
    } else {
      const level = pointLevel(e, zones);
      if (level === "red") alarms += 1;
      layers[group].features.push({
        type: "Feature",
        geometry: e.location,
        properties: { ...base, level, status: text(e.status) },
      });
    }
  }
  const scenic = [...zones.values()].find((z) => z.category === "scenic") ?? null;
  return { byId, zones, scenic, layers, alarms };
}

const collator = new Intl.Collator("zh-CN", { numeric: true });

/**
 * Entities matching a search: every word of the query in the name (or the id), optionally of one type;
 * exact names first, then names starting with the query, then the rest by name.
 */
export function searchEntities(
  entities: readonly TwinEntity[],
  query: string,
  type: string | null,
): TwinEntity[] {
  const q = query.trim().toLowerCase();
  const words = q.split(/\s+/).filter(Boolean);
  const rank = (e: TwinEntity) => {
    const name = nameOf(e).toLowerCase();
    return name === q ? 0 : name.startsWith(q) ? 1 : 2;
  };
  return entities
    .filter((e) => {
      if (type && e.type !== type) return false;
      if (words.length === 0) return true;
      const hay = `${nameOf(e)} ${e.id}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    })
    .map((e) => ({ e, rank: words.length ? rank(e) : 2, name: nameOf(e) }))
    .sort((a, b) => a.rank - b.rank || collator.compare(a.name, b.name))
    .map((x) => x.e);
}
