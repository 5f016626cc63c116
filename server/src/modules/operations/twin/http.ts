/**
 * The NGSI-LD request conventions of every twin route (entities, subscriptions, temporal): JSON-LD
 * and merge-patch bodies, the @context from the body (JSON-LD) or the Link header, Accept
 * negotiation, options and formats, and the ETSI ProblemDetails for malformed and invalid requests.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError, HttpErrors } from "../../../kernel/http/errors";
import { type ActiveContext, CORE_CONTEXT_URL, contextFromLink, resolveContext } from "./context";
import { bad, type Format } from "./entity";
import { NgsiErrors } from "./errors";

/** Parsers and error mapping of an NGSI-LD route scope (call inside `root.register`). */
export function setUpNgsiScope(scope: FastifyInstance): void {
  for (const type of ["application/ld+json", "application/merge-patch+json"]) {
    scope.addContentTypeParser(type, { parseAs: "string" }, (_req, body, done) => {
      try {
        done(null, JSON.parse(String(body)));
      } catch (e) {
        done(e as Error, undefined);
      }
    });
  }
  scope.setErrorHandler(async (error: Error & { code?: string }) => {
    if (error.code === "FST_ERR_CTP_INVALID_JSON_BODY" || error instanceof SyntaxError)
      throw new AppError(NgsiErrors.NGSI_INVALID_REQUEST, { message: "The request body is not valid JSON" });
    if (error instanceof AppError && error.code === HttpErrors.VALIDATION_FAILED)
      throw new AppError(NgsiErrors.NGSI_BAD_REQUEST_DATA, { message: error.message, errors: error.errors });
    throw error;
  });
}

export function mediaType(req: FastifyRequest): string {
  return (req.headers["content-type"] ?? "application/json").split(";")[0]!.trim().toLowerCase();
}

/** The @context of a request: in the body for JSON-LD, else from the Link header (or the core context). */
export function contextOf(req: FastifyRequest, item: unknown = req.body): ActiveContext {
  const hasBody = req.method !== "GET" && req.method !== "DELETE";
  const body = item;
  const isObject = !!body && typeof body === "object" && !Array.isArray(body);
  if (hasBody && mediaType(req) === "application/ld+json") {
    const source = isObject ? (body as Record<string, unknown>)["@context"] : undefined;
    if (source === undefined) throw bad("a JSON-LD payload (application/ld+json) must carry its @context");
    return resolveContext(source);
  }
  if (hasBody && isObject && "@context" in body)
    throw bad(
      "@context in the body needs Content-Type application/ld+json; with application/json use a Link header",
    );
  const link = req.headers.link;
  return resolveContext(contextFromLink(Array.isArray(link) ? link.join(",") : link));
}

/** Whether the request named a context of its own (a Link header or a JSON-LD body). */
export function hasOwnContext(req: FastifyRequest): boolean {
  return mediaType(req) === "application/ld+json" || req.headers.link !== undefined;
}

export type Accept = "json" | "ld+json" | "geo+json";

/** The representation asked for; GeoJSON only where the route offers it. */
export function acceptOf(req: FastifyRequest, options: { geoJson: boolean } = { geoJson: false }): Accept {
  const accept = (req.headers.accept ?? "application/json").toLowerCase();
  if (options.geoJson && accept.includes("application/geo+json")) return "geo+json";
  if (accept.includes("application/ld+json")) return "ld+json";
  if (accept.includes("application/json") || accept.includes("*/*") || accept.includes("application/*"))
    return "json";
  throw new AppError(NgsiErrors.NGSI_NOT_ACCEPTABLE, {
    message: `Accept application/json${options.geoJson ? ", application/geo+json" : ""} or application/ld+json`,
  });
}

export function optionSet(query: { options?: string }): Set<string> {
  return new Set(
    (query.options ?? "")
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
  );
}

export function formatOf(query: { options?: string; format?: string }): Format {
  const options = optionSet(query);
  const format =
    query.format ??
    (options.has("keyValues") ? "keyValues" : options.has("concise") ? "concise" : "normalized");
  if (format === "simplified" || format === "keyValues") return "keyValues";
  if (format === "concise" || format === "normalized") return format;
  throw bad(`format "${format}" is not normalized, concise, keyValues or simplified`);
}

export function listParam(value: string | undefined, name: string, max = 100): string[] | null {
  if (value === undefined) return null;
  const items = value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
  if (items.length === 0 || items.length > max) throw bad(`${name} must list 1 to ${max} items`);
  return items;
}

/** Sends a body with the @context in it (JSON-LD), or in a Link header (JSON, GeoJSON). */
export function sendLd(
  reply: FastifyReply,
  context: ActiveContext,
  accept: Accept,
  body: Record<string, unknown> | Record<string, unknown>[],
): FastifyReply {
  if (accept === "ld+json") {
    const withContext = (item: Record<string, unknown>) => ({
      ...item,
      "@context": context.source ?? CORE_CONTEXT_URL,
    });
    reply.type("application/ld+json");
    return reply.send(Array.isArray(body) ? body.map(withContext) : withContext(body));
  }
  reply.header("link", context.link);
  reply.type(accept === "geo+json" ? "application/geo+json" : "application/json");
  return reply.send(body);
}
