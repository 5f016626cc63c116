/**
 * JSON-LD @context handling as NGSI-LD (ETSI GS CIM 009) uses it: terms of entity types and
 * attribute names are expanded to IRIs on the way in and compacted with the caller's context on the
 * way out. The core context is bundled (no network fetch, ever); a remote context URL that is not
 * bundled is refused with LdContextNotAvailable. Only term definitions, compact IRIs and @vocab are
 * interpreted — what NGSI-LD payloads use — not the whole JSON-LD 1.1 algorithm.
 */
import { AppError } from "../../../kernel/http/errors";
import { NgsiErrors } from "./errors";

export const NGSI_LD = "https://uri.etsi.org/ngsi-ld/";
export const DEFAULT_VOCAB = `${NGSI_LD}default-context/`;
export const CORE_CONTEXT_URL = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld";
/** Earlier names of the core context that clients still send; all mean the bundled one. */
const CORE_CONTEXT_ALIASES = new Set([
  CORE_CONTEXT_URL,
  "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld",
  "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.3.jsonld",
  "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.4.jsonld",
  "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.5.jsonld",
  "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.6.jsonld",
  "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.7.jsonld",
]);
export const CONTEXT_REL = "http://www.w3.org/ns/json-ld#context";

/** The core terms (ETSI GS CIM 009 annex B) that payloads of this API use. */
const CORE_TERMS: Record<string, string> = {
  id: "@id",
  type: "@type",
  value: `${NGSI_LD}hasValue`,
  object: `${NGSI_LD}hasObject`,
  Property: `${NGSI_LD}Property`,
  Relationship: `${NGSI_LD}Relationship`,
  GeoProperty: `${NGSI_LD}GeoProperty`,
  LanguageProperty: `${NGSI_LD}LanguageProperty`,
  languageMap: `${NGSI_LD}hasLanguageMap`,
  createdAt: `${NGSI_LD}createdAt`,
  modifiedAt: `${NGSI_LD}modifiedAt`,
  observedAt: `${NGSI_LD}observedAt`,
  datasetId: `${NGSI_LD}datasetId`,
  unitCode: `${NGSI_LD}unitCode`,
  location: `${NGSI_LD}location`,
  observationSpace: `${NGSI_LD}observationSpace`,
  operationSpace: `${NGSI_LD}operationSpace`,
  scope: `${NGSI_LD}scope`,
  instanceId: `${NGSI_LD}instanceId`,
  coordinates: "https://purl.org/geojson/vocab#coordinates",
  Point: "https://purl.org/geojson/vocab#Point",
  MultiPoint: "https://purl.org/geojson/vocab#MultiPoint",
  LineString: "https://purl.org/geojson/vocab#LineString",
  MultiLineString: "https://purl.org/geojson/vocab#MultiLineString",
  Polygon: "https://purl.org/geojson/vocab#Polygon",
  MultiPolygon: "https://purl.org/geojson/vocab#MultiPolygon",
  Feature: "https://purl.org/geojson/vocab#Feature",
  FeatureCollection: "https://purl.org/geojson/vocab#FeatureCollection",
  Subscription: `${NGSI_LD}Subscription`,
  Notification: `${NGSI_LD}Notification`,
};

/** The bundled core context document, as served to clients that ask for it. */
export const CORE_CONTEXT_DOCUMENT = {
  "@context": {
    "ngsi-ld": NGSI_LD,
    "@vocab": DEFAULT_VOCAB,
    ...Object.fromEntries(
      Object.entries(CORE_TERMS).map(([term, iri]) => [term, iri.replace(NGSI_LD, "ngsi-ld:")]),
    ),
  },
};

export interface ActiveContext {
  /** term → IRI, user terms first, core terms last (the core context cannot be overridden). */
  readonly terms: ReadonlyMap<string, string>;
  readonly vocab: string;
  /** IRI → term, for compaction. */
  readonly inverse: ReadonlyMap<string, string>;
  /** The context as the caller gave it, to echo in responses (undefined: the core context). */
  readonly source: unknown;
  /** The Link header value that names this context, when it is one URL. */
  readonly link: string;
}

function linkHeader(url: string): string {
  return `<${url}>; rel="${CONTEXT_REL}"; type="application/ld+json"`;
}

function build(
  userTerms: Map<string, string>,
  vocab: string | null,
  source: unknown,
  url: string,
): ActiveContext {
  const terms = new Map(userTerms);
  for (const [term, iri] of Object.entries(CORE_TERMS)) terms.set(term, iri);
  const inverse = new Map<string, string>();
  for (const [term, iri] of terms) if (!inverse.has(iri) && !iri.startsWith("@")) inverse.set(iri, term);
  return { terms, vocab: vocab ?? DEFAULT_VOCAB, inverse, source, link: linkHeader(url) };
}

export const CORE_CONTEXT: ActiveContext = build(new Map(), null, undefined, CORE_CONTEXT_URL);

const cache = new Map<string, ActiveContext>();
const CACHE_LIMIT = 500;

function notAvailable(url: string): AppError {
  return new AppError(NgsiErrors.NGSI_LD_CONTEXT_NOT_AVAILABLE, {
    message: `The @context ${url} is not available here: only the NGSI-LD core context is bundled, and remote contexts are not fetched. Send the terms inline.`,
  });
}

function badContext(message: string): AppError {
  return new AppError(NgsiErrors.NGSI_BAD_REQUEST_DATA, { message: `@context: ${message}` });
}

/** Expands a compact IRI `prefix:suffix` whose prefix is a term defined so far. */
function expandWith(terms: Map<string, string>, vocab: string | null, value: string): string {
  const colon = value.indexOf(":");
  if (colon > 0) {
    const prefix = value.slice(0, colon);
    const suffix = value.slice(colon + 1);
    if (suffix.startsWith("//")) return value; // an absolute IRI
    const base = terms.get(prefix) ?? CORE_TERMS[prefix] ?? (prefix === "ngsi-ld" ? NGSI_LD : undefined);
    return base ? base + suffix : value;
  }
  return terms.get(value) ?? (vocab ? vocab + value : value);
}

/**
 * Resolves a request's @context (from the body or the Link header): a URL, an object of term
 * definitions, or an array of both. Resolved contexts are cached by their JSON text.
 */
export function resolveContext(source: unknown): ActiveContext {
  if (source === undefined || source === null) return CORE_CONTEXT;
  const key = typeof source === "string" ? source : JSON.stringify(source);
  const cached = cache.get(key);
  if (cached) return cached;
  const terms = new Map<string, string>();
  let vocab: string | null = null;
  let singleUrl: string | null = null;
  const visit = (item: unknown) => {
    if (typeof item === "string") {
      if (CORE_CONTEXT_ALIASES.has(item)) return;
      throw notAvailable(item);
    }
    if (Array.isArray(item)) {
      for (const part of item) visit(part);
      return;
    }
    if (!item || typeof item !== "object") throw badContext("must be a URL, an object or an array of them");
    for (const [term, definition] of Object.entries(item as Record<string, unknown>)) {
      if (term === "@vocab") {
        if (typeof definition !== "string") throw badContext("@vocab must be an IRI");
        vocab = expandWith(terms, null, definition);
        continue;
      }
      if (term.startsWith("@")) continue; // @version, @protected, @base: no effect on term expansion here
      let iri: unknown = definition;
      if (definition && typeof definition === "object" && !Array.isArray(definition))
        iri = (definition as Record<string, unknown>)["@id"] ?? undefined;
      if (iri === undefined) iri = vocab ? vocab + term : undefined;
      if (typeof iri !== "string")
        throw badContext(`the definition of "${term}" must be an IRI or an object with @id`);
      terms.set(term, expandWith(terms, vocab, iri));
    }
  };
  visit(source);
  if (typeof source === "string") singleUrl = source;
  const context = build(terms, vocab, source, singleUrl ?? CORE_CONTEXT_URL);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, context);
  return context;
}

/** An entity type or attribute name as given by the caller → its IRI. */
export function expandTerm(context: ActiveContext, term: string): string {
  return expandWith(context.terms as Map<string, string>, context.vocab, term);
}

/** An IRI → the caller's term for it (or the IRI itself when the context has none). */
export function compactIri(context: ActiveContext, iri: string): string {
  const term = context.inverse.get(iri);
  if (term) return term;
  if (iri.startsWith(context.vocab)) {
    const rest = iri.slice(context.vocab.length);
    if (!context.terms.has(rest)) return rest;
  }
  return iri;
}

/** Parses an HTTP Link header and returns the JSON-LD context link's URL, if any. */
export function contextFromLink(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) throw badContext("the Link header is malformed");
    if (/rel="?http:\/\/www\.w3\.org\/ns\/json-ld#context"?/.test(match[2]!)) return match[1];
  }
  return undefined;
}
