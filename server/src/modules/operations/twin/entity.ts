/**
 * NGSI-LD entities in and out: incoming payloads (normalized or concise) are checked and turned into
 * the stored form — attribute names and types as IRIs, each attribute with its system times — and
 * stored entities are rendered back in the caller's context as normalized, concise or key-values.
 */
import { AppError } from "../../../kernel/http/errors";
import { type ActiveContext, compactIri, expandTerm, NGSI_LD } from "./context";
import { NgsiErrors } from "./errors";
import { checkGeometry, type Geometry } from "./geo";

export type AttrKind = "Property" | "Relationship" | "GeoProperty" | "LanguageProperty";

/** An attribute as stored: its members plus sub-attributes keyed by IRI (IRIs always contain ':'). */
export interface StoredAttr {
  type: AttrKind;
  value?: unknown;
  object?: string;
  languageMap?: Record<string, string>;
  observedAt?: string;
  unitCode?: string;
  datasetId?: string;
  createdAt?: string;
  modifiedAt?: string;
  [subAttribute: string]: unknown;
}

export interface StoredEntity {
  id: string;
  types: string[];
  attrs: Record<string, StoredAttr>;
  createdAt: string;
  modifiedAt: string;
}

/** Members of an attribute that are not sub-attributes. */
const MEMBERS = new Set([
  "type",
  "value",
  "object",
  "languageMap",
  "observedAt",
  "unitCode",
  "datasetId",
  "createdAt",
  "modifiedAt",
]);
const KINDS = new Set<string>(["Property", "Relationship", "GeoProperty", "LanguageProperty"]);
const UNSUPPORTED_KINDS = new Set(["ListProperty", "ListRelationship", "VocabProperty", "JsonProperty"]);
const GEO_ATTRIBUTES = new Set([
  `${NGSI_LD}location`,
  `${NGSI_LD}observationSpace`,
  `${NGSI_LD}operationSpace`,
]);
/** Characters NGSI-LD forbids in names and identifiers (§4.6.2). */
const FORBIDDEN = /[<>"'=;()\s]/;
const URI = /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>"]+$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 date-time with a time zone (as NGSI-LD's DateTime and telemetry's observedAt are). */
export function isDateTime(value: unknown): value is string {
  return typeof value === "string" && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}
/** The value that deletes an attribute in a merge (§4.5.0). */
export const NGSI_NULL = "urn:ngsi-ld:null";

export function bad(message: string): AppError {
  return new AppError(NgsiErrors.NGSI_BAD_REQUEST_DATA, { message });
}

/** A UN/CEFACT common code (e.g. CEL, MTR, P1), as a unitCode holds. */
export function isUnitCode(value: unknown): value is string {
  return typeof value === "string" && /^[A-Za-z0-9]{1,8}$/.test(value);
}

/** A value the time series stores: a finite number, a boolean, or text of up to 1,000 characters without NUL. */
export function isReadingValue(value: unknown): value is number | string | boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value === "string") return value.length <= 1000 && !value.includes("\u0000");
  return typeof value === "boolean";
}

/** A partial attribute update's body: its members, or a bare value as {value}. */
export function attributeFragment(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === "object" && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : { value: body };
}

export function isUri(value: unknown): value is string {
  return typeof value === "string" && value.length <= 512 && URI.test(value);
}

export function checkEntityId(id: unknown, where = "id"): string {
  if (!isUri(id)) throw bad(`${where} must be a URI (e.g. urn:ngsi-ld:Building:001)`);
  return id;
}

function checkName(name: string, where: string): void {
  if (name.length === 0 || name.length > 256 || FORBIDDEN.test(name))
    throw bad(`${where}: "${name}" is not a valid name (no spaces, quotes, <, >, =, ;, parentheses)`);
}

export function expandType(context: ActiveContext, type: unknown, where = "type"): string {
  if (typeof type !== "string") throw bad(`${where} must be a string`);
  checkName(type, where);
  return expandTerm(context, type);
}

export function expandTypes(context: ActiveContext, type: unknown): string[] {
  const list = Array.isArray(type) ? type : [type];
  if (list.length === 0 || list.length > 20) throw bad("type must name 1 to 20 entity types");
  return [...new Set(list.map((t) => expandType(context, t)))];
}

export function expandAttrName(context: ActiveContext, name: string): string {
  checkName(name, "attribute name");
  return expandTerm(context, name);
}

function isGeometryLike(value: unknown): value is Geometry {
  return (
    !!value &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    typeof (value as { type?: unknown }).type === "string" &&
    "coordinates" in value
  );
}

/**
 * One attribute of a payload → stored form. `path` names it in errors; `now` stamps new attributes.
 * Normalized ({type, value|object|languageMap, …}) and concise (a bare value, {value}, {object},
 * {languageMap}, a GeoJSON geometry) forms are both accepted.
 */
export function parseAttribute(
  context: ActiveContext,
  iri: string,
  raw: unknown,
  path: string,
  depth = 0,
): StoredAttr {
  if (Array.isArray(raw))
    throw new AppError(NgsiErrors.NGSI_OPERATION_NOT_SUPPORTED, {
      message: `${path}: several instances of one attribute (datasetId) are not supported`,
    });
  if (raw === null || raw === undefined) throw bad(`${path}: an attribute cannot be null`);
  let input: Record<string, unknown>;
  if (typeof raw !== "object") input = { value: raw };
  else if (isGeometryLike(raw)) input = { type: "GeoProperty", value: raw };
  else input = raw as Record<string, unknown>;
  if ("@context" in input) throw bad(`${path}: @context belongs at the top of the payload`);

  let kind: string;
  if (input.type !== undefined) {
    if (typeof input.type !== "string") throw bad(`${path}.type must be a string`);
    kind = input.type.startsWith(NGSI_LD) ? input.type.slice(NGSI_LD.length) : input.type;
    if (UNSUPPORTED_KINDS.has(kind))
      throw new AppError(NgsiErrors.NGSI_OPERATION_NOT_SUPPORTED, {
        message: `${path}: ${kind} attributes are not supported`,
      });
    if (!KINDS.has(kind))
      throw bad(`${path}.type must be Property, Relationship, GeoProperty or LanguageProperty`);
  } else if ("object" in input) kind = "Relationship";
  else if ("languageMap" in input) kind = "LanguageProperty";
  else if (isGeometryLike(input.value) || GEO_ATTRIBUTES.has(iri)) kind = "GeoProperty";
  else kind = "Property";
  if (GEO_ATTRIBUTES.has(iri) && kind !== "GeoProperty") throw bad(`${path} must be a GeoProperty`);

  const attr: StoredAttr = { type: kind as AttrKind };
  switch (kind) {
    case "Property":
      if (input.value === undefined || input.value === null) throw bad(`${path}.value is required`);
      attr.value = input.value;
      break;
    case "GeoProperty":
      attr.value = checkGeometry(input.value, `${path}.value`);
      break;
    case "Relationship":
      if (!isUri(input.object)) throw bad(`${path}.object must be the URI of an entity`);
      attr.object = input.object;
      break;
    case "LanguageProperty": {
      const map = input.languageMap;
      if (!map || typeof map !== "object" || Array.isArray(map))
        throw bad(`${path}.languageMap must map language tags to strings`);
      for (const [tag, text] of Object.entries(map)) {
        if (!/^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$|^@none$/.test(tag) || typeof text !== "string")
          throw bad(`${path}.languageMap: "${tag}" must be a language tag with a string`);
      }
      attr.languageMap = map as Record<string, string>;
      break;
    }
  }
  if (input.observedAt !== undefined) {
    if (!isDateTime(input.observedAt))
      throw bad(`${path}.observedAt must be an ISO 8601 date-time with a time zone`);
    attr.observedAt = new Date(input.observedAt).toISOString();
  }
  if (input.unitCode !== undefined) {
    if (!isUnitCode(input.unitCode))
      throw bad(`${path}.unitCode must be a UN/CEFACT common code (e.g. CEL, MTR, P1)`);
    attr.unitCode = input.unitCode;
  }
  if (input.datasetId !== undefined) {
    if (!isUri(input.datasetId)) throw bad(`${path}.datasetId must be a URI`);
    attr.datasetId = input.datasetId;
  }
  for (const [name, sub] of Object.entries(input)) {
    if (MEMBERS.has(name)) continue;
    if (depth >= 3) throw bad(`${path}: sub-attributes nest at most 3 levels`);
    const subIri = expandAttrName(context, name);
    attr[subIri] = parseAttribute(context, subIri, sub, `${path}.${name}`, depth + 1);
  }
  return attr;
}

/** A whole entity payload → id, types and attributes (without system times). */
export function parseEntity(
  context: ActiveContext,
  body: unknown,
  options: { requireType: boolean; path?: string } = { requireType: true },
): { id: string; types: string[] | null; attrs: Record<string, StoredAttr> } {
  const path = options.path ?? "entity";
  if (!body || typeof body !== "object" || Array.isArray(body)) throw bad(`${path} must be a JSON object`);
  const input = body as Record<string, unknown>;
  const id = checkEntityId(input.id ?? input["@id"], `${path}.id`);
  const rawType = input.type ?? input["@type"];
  if (rawType === undefined && options.requireType) throw bad(`${path}.type is required`);
  const types = rawType === undefined ? null : expandTypes(context, rawType);
  return { id, types, attrs: parseAttributes(context, input, path) };
}

const ENTITY_MEMBERS = new Set([
  "id",
  "@id",
  "type",
  "@type",
  "@context",
  "createdAt",
  "modifiedAt",
  "scope",
]);

/** The attributes of a fragment (an entity body or an attrs body), keyed by IRI. */
export function parseAttributes(
  context: ActiveContext,
  input: Record<string, unknown>,
  path: string,
  options: { allowNull?: boolean } = {},
): Record<string, StoredAttr> {
  const attrs: Record<string, StoredAttr> = {};
  for (const [name, raw] of Object.entries(input)) {
    if (ENTITY_MEMBERS.has(name)) continue;
    const iri = expandAttrName(context, name);
    if (options.allowNull && (raw === NGSI_NULL || (raw as { value?: unknown })?.value === NGSI_NULL)) {
      attrs[iri] = { type: "Property", value: NGSI_NULL };
      continue;
    }
    attrs[iri] = parseAttribute(context, iri, raw, `${path}.${name}`);
  }
  return attrs;
}

/** Stamps createdAt/modifiedAt: a replaced attribute keeps its createdAt. */
export function stamp(attr: StoredAttr, now: string, previous?: StoredAttr): StoredAttr {
  return { ...attr, createdAt: previous?.createdAt ?? now, modifiedAt: now };
}

export type Format = "normalized" | "concise" | "keyValues";

export interface RenderOptions {
  format: Format;
  sysAttrs: boolean;
  /** Attribute IRIs to include; null for all. */
  attrs: Set<string> | null;
}

function renderAttr(context: ActiveContext, attr: StoredAttr, options: RenderOptions): unknown {
  if (options.format === "keyValues") {
    if (attr.type === "Relationship") return attr.object;
    if (attr.type === "LanguageProperty") return attr.languageMap;
    return attr.value;
  }
  const out: Record<string, unknown> = {};
  if (options.format === "normalized") out.type = attr.type;
  if (attr.type === "Relationship") out.object = attr.object;
  else if (attr.type === "LanguageProperty") out.languageMap = attr.languageMap;
  else out.value = attr.value;
  if (attr.observedAt) out.observedAt = attr.observedAt;
  if (attr.unitCode) out.unitCode = attr.unitCode;
  if (attr.datasetId) out.datasetId = attr.datasetId;
  if (options.sysAttrs) {
    if (attr.createdAt) out.createdAt = attr.createdAt;
    if (attr.modifiedAt) out.modifiedAt = attr.modifiedAt;
  }
  let hasSub = false;
  for (const [key, sub] of Object.entries(attr)) {
    if (MEMBERS.has(key)) continue;
    hasSub = true;
    out[compactIri(context, key)] = renderAttr(context, sub as StoredAttr, { ...options, attrs: null });
  }
  // Concise: a Property or GeoProperty with nothing else is just its value.
  if (options.format === "concise" && attr.type !== "Relationship" && attr.type !== "LanguageProperty") {
    if (!hasSub && Object.keys(out).length === 1) return attr.value;
  }
  return out;
}

export function renderEntity(
  context: ActiveContext,
  entity: StoredEntity,
  options: RenderOptions,
): Record<string, unknown> {
  const types = entity.types.map((t) => compactIri(context, t));
  const out: Record<string, unknown> = { id: entity.id, type: types.length === 1 ? types[0] : types };
  if (options.sysAttrs && options.format !== "keyValues") {
    out.createdAt = entity.createdAt;
    out.modifiedAt = entity.modifiedAt;
  }
  for (const [iri, attr] of Object.entries(entity.attrs)) {
    if (options.attrs && !options.attrs.has(iri)) continue;
    out[compactIri(context, iri)] = renderAttr(context, attr, options);
  }
  return out;
}

/** GeoJSON rendering (Accept: application/geo+json): one Feature per entity. */
export function renderFeature(
  context: ActiveContext,
  entity: StoredEntity,
  options: RenderOptions,
  geoproperty: string,
): Record<string, unknown> {
  const properties = renderEntity(context, entity, options);
  delete properties.id;
  const geo = entity.attrs[geoproperty];
  return {
    id: entity.id,
    type: "Feature",
    geometry: geo?.type === "GeoProperty" ? geo.value : null,
    properties,
  };
}
