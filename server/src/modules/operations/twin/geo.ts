/**
 * GeoJSON geometries of GeoProperties and the NGSI-LD geo-query (§4.10): near (with maxDistance or
 * minDistance in metres), within, contains, intersects, equals, disjoint, overlaps. The database
 * keeps each entity's `location` bounding box for a first cut; the exact relation is decided here
 * (Turf's planar predicates on WGS 84 coordinates, great-circle distances for `near`).
 */
import booleanContains from "@turf/boolean-contains";
import booleanEqual from "@turf/boolean-equal";
import booleanIntersects from "@turf/boolean-intersects";
import booleanOverlap from "@turf/boolean-overlap";
import booleanWithin from "@turf/boolean-within";
import distance from "@turf/distance";
import pointToLineDistance from "@turf/point-to-line-distance";
import pointToPolygonDistance from "@turf/point-to-polygon-distance";
import { AppError } from "../../../kernel/http/errors";
import { NgsiErrors } from "./errors";

type Position = number[];
export type Geometry =
  | { type: "Point"; coordinates: Position }
  | { type: "MultiPoint"; coordinates: Position[] }
  | { type: "LineString"; coordinates: Position[] }
  | { type: "MultiLineString"; coordinates: Position[][] }
  | { type: "Polygon"; coordinates: Position[][] }
  | { type: "MultiPolygon"; coordinates: Position[][][] };

export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

function bad(message: string): AppError {
  return new AppError(NgsiErrors.NGSI_BAD_REQUEST_DATA, { message });
}

function checkPosition(p: unknown, path: string): Position {
  if (
    !Array.isArray(p) ||
    p.length < 2 ||
    p.length > 3 ||
    !p.every((n) => typeof n === "number" && Number.isFinite(n))
  )
    throw bad(`${path} must be a position [longitude, latitude(, altitude)]`);
  const [lon, lat] = p as number[];
  if (lon! < -180 || lon! > 180 || lat! < -90 || lat! > 90)
    throw bad(`${path} is outside WGS 84 (longitude −180…180, latitude −90…90)`);
  return p as Position;
}

function checkList<T>(value: unknown, path: string, min: number, item: (v: unknown, p: string) => T): T[] {
  if (!Array.isArray(value) || value.length < min || value.length > 100_000)
    throw bad(`${path} must be an array of at least ${min}`);
  return value.map((v, i) => item(v, `${path}[${i}]`));
}

function checkLine(value: unknown, path: string): Position[] {
  return checkList(value, path, 2, checkPosition);
}

function checkRing(value: unknown, path: string): Position[] {
  const ring = checkList(value, path, 4, checkPosition);
  const first = ring[0]!;
  const last = ring.at(-1)!;
  if (first[0] !== last[0] || first[1] !== last[1]) throw bad(`${path}: a linear ring must be closed`);
  return ring;
}

function checkPolygon(value: unknown, path: string): Position[][] {
  return checkList(value, path, 1, checkRing);
}

/** A GeoJSON geometry (RFC 7946) of the kinds NGSI-LD GeoProperties hold, or a 400 naming where. */
export function checkGeometry(value: unknown, path: string): Geometry {
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw bad(`${path} must be a GeoJSON geometry`);
  const { type, coordinates } = value as { type?: unknown; coordinates?: unknown };
  const at = `${path}.coordinates`;
  switch (type) {
    case "Point":
      return { type, coordinates: checkPosition(coordinates, at) };
    case "MultiPoint":
      return { type, coordinates: checkList(coordinates, at, 1, checkPosition) };
    case "LineString":
      return { type, coordinates: checkLine(coordinates, at) };
    case "MultiLineString":
      return { type, coordinates: checkList(coordinates, at, 1, checkLine) };
    case "Polygon":
      return { type, coordinates: checkPolygon(coordinates, at) };
    case "MultiPolygon":
      return { type, coordinates: checkList(coordinates, at, 1, checkPolygon) };
    default:
      throw bad(
        `${path}.type must be Point, MultiPoint, LineString, MultiLineString, Polygon or MultiPolygon`,
      );
  }
}

function positions(g: Geometry): Position[] {
  switch (g.type) {
    case "Point":
      return [g.coordinates];
    case "MultiPoint":
    case "LineString":
      return g.coordinates;
    case "MultiLineString":
    case "Polygon":
      return g.coordinates.flat();
    case "MultiPolygon":
      return g.coordinates.flat(2);
  }
}

export function bboxOf(g: Geometry): BBox {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const [lon, lat] of positions(g)) {
    if (lon! < minLon) minLon = lon!;
    if (lon! > maxLon) maxLon = lon!;
    if (lat! < minLat) minLat = lat!;
    if (lat! > maxLat) maxLat = lat!;
  }
  return [minLon, minLat, maxLon, maxLat];
}

export type GeoRel =
  | { rel: "near"; maxDistance?: number; minDistance?: number }
  | { rel: "within" | "contains" | "intersects" | "equals" | "disjoint" | "overlaps" };

export interface GeoQuery {
  georel: GeoRel;
  geometry: Geometry;
  /** The GeoProperty compared (IRI), `location` by default. */
  geoproperty: string;
}

const METRES_PER_DEGREE_LAT = 111_320;

/**
 * The box an entity's bounding box must overlap to possibly match; null when any entity might
 * (disjoint, near with only a minimum distance).
 */
export function candidateBox(q: GeoQuery): BBox | null {
  const box = bboxOf(q.geometry);
  if (q.georel.rel === "disjoint") return null;
  if (q.georel.rel === "near") {
    if (q.georel.maxDistance === undefined) return null;
    const dLat = q.georel.maxDistance / METRES_PER_DEGREE_LAT;
    const maxAbsLat = Math.min(89.9, Math.max(Math.abs(box[1]), Math.abs(box[3])) + dLat);
    const dLon = dLat / Math.cos((maxAbsLat * Math.PI) / 180);
    return [box[0] - dLon, box[1] - dLat, box[2] + dLon, box[3] + dLat];
  }
  return box;
}

function feature(g: Geometry) {
  return { type: "Feature" as const, properties: {}, geometry: g };
}

/** Great-circle distance in metres from a point to a geometry (0 inside a polygon). */
function distanceTo(point: Position, g: Geometry): number {
  const p = { type: "Point" as const, coordinates: point };
  const m = { units: "meters" as const };
  switch (g.type) {
    case "Point":
      return distance(p, g, m);
    case "MultiPoint":
      return Math.min(...g.coordinates.map((c) => distance(p, { type: "Point", coordinates: c }, m)));
    case "LineString":
      return pointToLineDistance(p, g, m);
    case "MultiLineString":
      return Math.min(
        ...g.coordinates.map((c) => pointToLineDistance(p, { type: "LineString", coordinates: c }, m)),
      );
    case "Polygon":
    case "MultiPolygon":
      return Math.max(0, pointToPolygonDistance(p, g, m));
  }
}

/** Whether an entity's geometry stands in the query's relation to the query's geometry. */
export function matchesGeo(entityGeometry: Geometry, q: GeoQuery): boolean {
  const a = feature(entityGeometry);
  const b = feature(q.geometry);
  switch (q.georel.rel) {
    case "near": {
      if (q.geometry.type !== "Point") return false;
      const d = distanceTo(q.geometry.coordinates, entityGeometry);
      if (q.georel.maxDistance !== undefined && d > q.georel.maxDistance) return false;
      if (q.georel.minDistance !== undefined && d < q.georel.minDistance) return false;
      return true;
    }
    case "within":
      return booleanWithin(a, b);
    case "contains":
      return booleanContains(a, b);
    case "intersects":
      return booleanIntersects(a, b);
    case "disjoint":
      return !booleanIntersects(a, b);
    case "equals":
      return booleanEqual(a, b);
    case "overlaps":
      return entityGeometry.type === q.geometry.type && booleanOverlap(a, b);
  }
}

/** Parses the georel, geometry and coordinates parameters of a query (§4.10). */
export function parseGeoQuery(params: {
  georel?: string;
  geometry?: string;
  coordinates?: string;
  geoproperty: string;
}): GeoQuery | null {
  const { georel, geometry, coordinates } = params;
  if (georel === undefined && geometry === undefined && coordinates === undefined) return null;
  if (!georel || !geometry || !coordinates)
    throw bad("a geo-query needs georel, geometry and coordinates together");
  const [rel, ...modifiers] = georel.split(";");
  let parsedRel: GeoRel;
  if (rel === "near") {
    const near: { rel: "near"; maxDistance?: number; minDistance?: number } = { rel: "near" };
    for (const m of modifiers) {
      const match = /^(maxDistance|minDistance)==(\d+(?:\.\d+)?)$/.exec(m);
      if (!match) throw bad(`georel near takes maxDistance==<metres> or minDistance==<metres>, not "${m}"`);
      near[match[1] as "maxDistance" | "minDistance"] = Number(match[2]);
    }
    if (near.maxDistance === undefined && near.minDistance === undefined)
      throw bad("georel near needs maxDistance or minDistance");
    if (geometry !== "Point") throw bad("georel near needs geometry=Point");
    parsedRel = near;
  } else if (
    rel === "within" ||
    rel === "contains" ||
    rel === "intersects" ||
    rel === "equals" ||
    rel === "disjoint" ||
    rel === "overlaps"
  ) {
    if (modifiers.length > 0) throw bad(`georel ${rel} takes no modifiers`);
    parsedRel = { rel };
  } else
    throw bad(`georel "${rel}" is not one of near, within, contains, intersects, equals, disjoint, overlaps`);
  let coords: unknown;
  try {
    coords = JSON.parse(coordinates);
  } catch {
    throw bad("coordinates must be a JSON array, e.g. [113.26,23.13]");
  }
  return {
    georel: parsedRel,
    geometry: checkGeometry({ type: geometry, coordinates: coords }, "geometry"),
    geoproperty: params.geoproperty,
  };
}
