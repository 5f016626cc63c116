/**
 * NGSI-LD subscriptions (ETSI GS CIM 009 §5.2.12) in and out: payloads are checked and stored with
 * entity types and attribute names expanded to IRIs (`q` is kept as written and read with the stored
 * @context); stored subscriptions are rendered back in the caller's context with their status and
 * delivery counters.
 */
import { sql } from "drizzle-orm";
import { AppError } from "../../../../kernel/http/errors";
import { type ActiveContext, compactIri, NGSI_LD } from "../context";
import { bad, checkEntityId, expandAttrName, expandType, type Format } from "../entity";
import { NgsiErrors } from "../errors";
import { type GeoQuery, parseGeoQuery } from "../geo";
import { qToSql } from "../query";
import { isForbiddenAddress } from "./endpoint-guard";

export const SUBSCRIPTION_TYPE = "Subscription";
const MAX_SELECTORS = 100;
const MAX_ATTRIBUTES = 100;
const MAX_THROTTLING = 86_400;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

export type EndpointAccept = "application/json" | "application/ld+json";

export interface EntitySelector {
  id?: string;
  idPattern?: string;
  /** Entity type IRI. */
  type: string;
}

export interface StoredGeoQ {
  geometry: string;
  coordinates: unknown;
  georel: string;
  /** GeoProperty IRI. */
  geoproperty: string;
}

export interface NotificationParams {
  /** Attribute IRIs the notified entities are projected to; absent: all. */
  attributes?: string[];
  format: Format;
  sysAttrs: boolean;
  endpoint: { uri: string; accept: EndpointAccept };
}

/** What `operations.subscriptions.subscription` holds. */
export interface SubscriptionDefinition {
  subscriptionName?: string;
  description?: string;
  entities?: EntitySelector[];
  /** Attribute IRIs. */
  watchedAttributes?: string[];
  q?: string;
  geoQ?: StoredGeoQ;
  notification: NotificationParams;
}

/** A subscription as the API reads and writes it: the definition and the columns beside it. */
export interface SubscriptionDraft {
  definition: SubscriptionDefinition;
  isActive: boolean;
  expiresAt: string | null;
  throttling: number | null;
}

const MEMBERS = new Set([
  "id",
  "@id",
  "type",
  "@type",
  "@context",
  "subscriptionName",
  "description",
  "entities",
  "watchedAttributes",
  "q",
  "geoQ",
  "notification",
  "expiresAt",
  "throttling",
  "isActive",
]);
/** Members the server writes; a client that sends back what it read is not refused for them. */
const READ_ONLY = new Set(["status", "createdAt", "modifiedAt"]);
/** Members of GS CIM 009 this implementation does not offer. */
const UNSUPPORTED = new Set([
  "timeInterval",
  "temporalQ",
  "scopeQ",
  "csf",
  "lang",
  "notificationTrigger",
  "jsonldContext",
  "datasetId",
  "expires",
]);
const NOTIFICATION_MEMBERS = new Set(["attributes", "format", "sysAttrs", "endpoint"]);
const NOTIFICATION_READ_ONLY = new Set([
  "status",
  "timesSent",
  "timesFailed",
  "lastNotification",
  "lastSuccess",
  "lastFailure",
]);
const NOTIFICATION_UNSUPPORTED = new Set(["showChanges", "join", "joinLevel", "pick", "omit"]);
const ENDPOINT_MEMBERS = new Set(["uri", "accept"]);
const ENDPOINT_UNSUPPORTED = new Set(["receiverInfo", "notifierInfo", "timeout", "cooldown"]);
const FORMATS = new Set<Format>(["normalized", "keyValues", "concise"]);
const NGSI_NULL = "urn:ngsi-ld:null";

function notSupported(message: string): AppError {
  return new AppError(NgsiErrors.NGSI_OPERATION_NOT_SUPPORTED, { message });
}

function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw bad(`${path} must be a JSON object`);
  return value as Record<string, unknown>;
}

function checkMembers(
  input: Record<string, unknown>,
  path: string,
  known: Set<string>,
  readOnly: Set<string>,
  unsupported: Set<string>,
): void {
  for (const name of Object.keys(input)) {
    if (known.has(name) || readOnly.has(name)) continue;
    if (unsupported.has(name)) throw notSupported(`${path}${name} is not supported`);
    throw bad(`${path}${name} is not a member of a subscription`);
  }
}

function stringAt(value: unknown, path: string, max: number): string {
  if (typeof value !== "string" || value.length === 0 || value.length > max)
    throw bad(`${path} must be a text of 1 to ${max} characters`);
  return value;
}

function namesAt(context: ActiveContext, value: unknown, path: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_ATTRIBUTES)
    throw bad(`${path} must list 1 to ${MAX_ATTRIBUTES} attribute names`);
  return [
    ...new Set(
      value.map((name, i) => {
        if (typeof name !== "string") throw bad(`${path}[${i}] must be an attribute name`);
        return expandAttrName(context, name);
      }),
    ),
  ];
}

function parseSelectors(context: ActiveContext, value: unknown): EntitySelector[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_SELECTORS)
    throw bad(`entities must list 1 to ${MAX_SELECTORS} entity selectors`);
  return value.map((raw, i) => {
    const path = `entities[${i}]`;
    const input = objectAt(raw, path);
    for (const name of Object.keys(input))
      if (name !== "id" && name !== "idPattern" && name !== "type")
        throw bad(`${path}.${name} is not a member of an entity selector (id, idPattern, type)`);
    if (input.type === undefined) throw bad(`${path}.type is required`);
    if (typeof input.type === "string" && /[,|;()]/.test(input.type))
      throw notSupported(`${path}.type: type expressions are not supported; use one selector per type`);
    const selector: EntitySelector = { type: expandType(context, input.type, `${path}.type`) };
    if (input.id !== undefined && input.idPattern !== undefined)
      throw bad(`${path}: give id or idPattern, not both`);
    if (input.id !== undefined) selector.id = checkEntityId(input.id, `${path}.id`);
    // The pattern is a PostgreSQL regular expression, checked and matched by the database.
    if (input.idPattern !== undefined)
      selector.idPattern = stringAt(input.idPattern, `${path}.idPattern`, 500);
    return selector;
  });
}

function parseGeoQ(context: ActiveContext, value: unknown): StoredGeoQ {
  const input = objectAt(value, "geoQ");
  for (const name of Object.keys(input))
    if (!["geometry", "coordinates", "georel", "geoproperty"].includes(name))
      throw bad(`geoQ.${name} is not a member of a geo-query (geometry, coordinates, georel, geoproperty)`);
  const geometry = stringAt(input.geometry, "geoQ.geometry", 50);
  const georel = stringAt(input.georel, "geoQ.georel", 100);
  let coordinates = input.coordinates;
  if (typeof coordinates === "string") {
    try {
      coordinates = JSON.parse(coordinates);
    } catch {
      throw bad("geoQ.coordinates must be a JSON array, e.g. [113.26,23.13]");
    }
  }
  if (!Array.isArray(coordinates)) throw bad("geoQ.coordinates must be an array of coordinates");
  const geoproperty =
    input.geoproperty === undefined
      ? `${NGSI_LD}location`
      : expandAttrName(context, stringAt(input.geoproperty, "geoQ.geoproperty", 256));
  const stored = { geometry, coordinates, georel, geoproperty };
  geoQueryOf(stored);
  return stored;
}

/** The stored geo-query as the store evaluates it (throws BadRequestData when it is not valid). */
export function geoQueryOf(geoQ: StoredGeoQ): GeoQuery {
  const query = parseGeoQuery({
    georel: geoQ.georel,
    geometry: geoQ.geometry,
    coordinates: JSON.stringify(geoQ.coordinates),
    geoproperty: geoQ.geoproperty,
  });
  return query!;
}

/** `q` as SQL over the entities' attributes, read with the subscription's @context. */
export function qSqlOf(context: ActiveContext, q: string) {
  return qToSql(context, q, sql.raw("e"));
}

/** The endpoint URI: http or https only, without credentials in it. */
function parseEndpointUri(value: unknown): string {
  const text = stringAt(value, "notification.endpoint.uri", 2048);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad("notification.endpoint.uri must be an absolute http or https URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw bad("notification.endpoint.uri must be an http or https URL (other bindings are not supported)");
  if (url.username || url.password) throw bad("notification.endpoint.uri must not carry credentials");
  if (isForbiddenAddress(url.hostname))
    throw bad("notification.endpoint.uri must not be a link-local, unspecified or multicast address");
  return text;
}

function parseNotification(
  context: ActiveContext,
  value: unknown,
  previous: NotificationParams | undefined,
): NotificationParams {
  const input = objectAt(value, "notification");
  checkMembers(
    input,
    "notification.",
    NOTIFICATION_MEMBERS,
    NOTIFICATION_READ_ONLY,
    NOTIFICATION_UNSUPPORTED,
  );
  const params: Partial<NotificationParams> = { ...(previous ?? { format: "normalized", sysAttrs: false }) };
  if (input.attributes !== undefined) {
    if (input.attributes === null) delete params.attributes;
    else params.attributes = namesAt(context, input.attributes, "notification.attributes");
  }
  if (input.format !== undefined) {
    if (typeof input.format !== "string" || !FORMATS.has(input.format as Format))
      throw bad("notification.format must be normalized, keyValues or concise");
    params.format = input.format as Format;
  }
  if (input.sysAttrs !== undefined) {
    if (typeof input.sysAttrs !== "boolean") throw bad("notification.sysAttrs must be true or false");
    params.sysAttrs = input.sysAttrs;
  }
  if (input.endpoint !== undefined) {
    const endpoint = objectAt(input.endpoint, "notification.endpoint");
    checkMembers(endpoint, "notification.endpoint.", ENDPOINT_MEMBERS, new Set(), ENDPOINT_UNSUPPORTED);
    const accept = endpoint.accept ?? "application/json";
    if (accept !== "application/json" && accept !== "application/ld+json")
      throw bad("notification.endpoint.accept must be application/json or application/ld+json");
    params.endpoint = { uri: parseEndpointUri(endpoint.uri), accept };
  }
  if (!params.endpoint) throw bad("notification.endpoint is required");
  return params as NotificationParams;
}

function parseExpiresAt(value: unknown, now: Date): string {
  if (typeof value !== "string" || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))
    throw bad("expiresAt must be an ISO 8601 date-time with a time zone");
  const at = new Date(value);
  if (at.getTime() <= now.getTime()) throw bad("expiresAt must lie in the future");
  return at.toISOString();
}

function parseThrottling(value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_THROTTLING)
    throw bad(`throttling must be a whole number of seconds from 1 to ${MAX_THROTTLING}`);
  return value;
}

const isNull = (value: unknown) => value === null || value === NGSI_NULL;

/**
 * Applies the members of a payload to a draft: every member sent replaces the stored one (null or
 * urn:ngsi-ld:null removes an optional member; notification members merge one level down).
 * Creation starts from an empty draft; an update from the stored subscription.
 */
export function applySubscriptionMembers(
  context: ActiveContext,
  body: unknown,
  draft: SubscriptionDraft | null,
  now: Date,
): SubscriptionDraft {
  const input = objectAt(body, "the subscription");
  checkMembers(input, "", MEMBERS, READ_ONLY, UNSUPPORTED);
  const type = input.type ?? input["@type"];
  if (type === undefined && !draft) throw bad("type is required (Subscription)");
  if (type !== undefined && type !== SUBSCRIPTION_TYPE && type !== `${NGSI_LD}${SUBSCRIPTION_TYPE}`)
    throw bad("type must be Subscription");
  if (!draft && input.notification === undefined) throw bad("notification is required");

  const definition: Partial<SubscriptionDefinition> = { ...(draft?.definition ?? {}) };
  const next: Omit<SubscriptionDraft, "definition"> = {
    isActive: draft?.isActive ?? true,
    expiresAt: draft?.expiresAt ?? null,
    throttling: draft?.throttling ?? null,
  };
  const optional = <K extends keyof SubscriptionDefinition>(
    name: K,
    parse: (value: unknown) => SubscriptionDefinition[K],
  ) => {
    const value = input[name];
    if (value === undefined) return;
    if (isNull(value)) delete definition[name];
    else definition[name] = parse(value);
  };
  optional("subscriptionName", (v) => stringAt(v, "subscriptionName", 256));
  optional("description", (v) => stringAt(v, "description", 2000));
  optional("entities", (v) => parseSelectors(context, v));
  optional("watchedAttributes", (v) => namesAt(context, v, "watchedAttributes"));
  optional("q", (v) => {
    const q = stringAt(v, "q", 4000);
    qSqlOf(context, q);
    return q;
  });
  optional("geoQ", (v) => parseGeoQ(context, v));
  if (input.notification !== undefined)
    definition.notification = parseNotification(context, input.notification, draft?.definition.notification);
  if (input.isActive !== undefined) {
    if (typeof input.isActive !== "boolean") throw bad("isActive must be true or false");
    next.isActive = input.isActive;
  }
  if (input.expiresAt !== undefined)
    next.expiresAt = isNull(input.expiresAt) ? null : parseExpiresAt(input.expiresAt, now);
  if (input.throttling !== undefined)
    next.throttling = isNull(input.throttling) ? null : parseThrottling(input.throttling);

  if (!definition.entities && !definition.watchedAttributes)
    throw bad("a subscription needs entities or watchedAttributes");
  return { ...next, definition: definition as SubscriptionDefinition };
}

export interface DeliveryState {
  timesSent: number;
  timesFailed: number;
  lastNotification: string | null;
  lastSuccess: string | null;
  lastFailure: string | null;
}

export interface SubscriptionRecord extends SubscriptionDraft, DeliveryState {
  id: string;
  createdAt: string;
  modifiedAt: string;
}

export type SubscriptionStatus = "active" | "paused" | "expired";

export function statusOf(
  record: Pick<SubscriptionDraft, "isActive" | "expiresAt">,
  now: Date,
): SubscriptionStatus {
  if (record.expiresAt && Date.parse(record.expiresAt) <= now.getTime()) return "expired";
  return record.isActive ? "active" : "paused";
}

/** A stored subscription in the caller's context (§5.2.12), with its status and counters. */
export function renderSubscription(
  context: ActiveContext,
  record: SubscriptionRecord,
  now: Date,
  sysAttrs: boolean,
): Record<string, unknown> {
  const d = record.definition;
  const compact = (iri: string) => compactIri(context, iri);
  const out: Record<string, unknown> = { id: record.id, type: SUBSCRIPTION_TYPE };
  if (d.subscriptionName) out.subscriptionName = d.subscriptionName;
  if (d.description) out.description = d.description;
  if (d.entities)
    out.entities = d.entities.map((s) => ({
      ...(s.id ? { id: s.id } : {}),
      ...(s.idPattern ? { idPattern: s.idPattern } : {}),
      type: compact(s.type),
    }));
  if (d.watchedAttributes) out.watchedAttributes = d.watchedAttributes.map(compact);
  if (d.q) out.q = d.q;
  if (d.geoQ) out.geoQ = { ...d.geoQ, geoproperty: compact(d.geoQ.geoproperty) };
  out.isActive = record.isActive;
  const n = d.notification;
  const failed =
    record.lastFailure !== null &&
    (record.lastSuccess === null || Date.parse(record.lastFailure) >= Date.parse(record.lastSuccess));
  out.notification = {
    ...(n.attributes ? { attributes: n.attributes.map(compact) } : {}),
    format: n.format,
    ...(n.sysAttrs ? { sysAttrs: true } : {}),
    endpoint: { uri: n.endpoint.uri, accept: n.endpoint.accept },
    status: failed ? "failed" : "ok",
    timesSent: record.timesSent,
    timesFailed: record.timesFailed,
    ...(record.lastNotification ? { lastNotification: record.lastNotification } : {}),
    ...(record.lastSuccess ? { lastSuccess: record.lastSuccess } : {}),
    ...(record.lastFailure ? { lastFailure: record.lastFailure } : {}),
  };
  if (record.expiresAt) out.expiresAt = record.expiresAt;
  if (record.throttling !== null) out.throttling = record.throttling;
  out.status = statusOf(record, now);
  if (sysAttrs) {
    out.createdAt = record.createdAt;
    out.modifiedAt = record.modifiedAt;
  }
  return out;
}

/** An endpoint URL fit for logs and audit records: no query string (tokens often ride there). */
export function maskEndpoint(uri: string): string {
  try {
    const url = new URL(uri);
    return `${url.origin}${url.pathname}${url.search ? "?…" : ""}`;
  } catch {
    return "(invalid URL)";
  }
}
