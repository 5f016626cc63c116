import type { IncomingMessage, ServerResponse } from "node:http";
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  LogController,
} from "fastify";
import helmet, { type HelmetOptions } from "helmet";
import type { Actor } from "../access/actor";
import type { Config } from "../config/config";
import { newId } from "../db/ids";
import { AppError, type FieldError, HttpErrors, problemFor } from "./errors";
import { maskDeep } from "./mask";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Bodies are validated strictly (no coercion, no silent removal); query strings and params coerce. */
function makeAjv(coerce: boolean) {
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes: coerce ? "array" : false,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Strings PostgreSQL cannot store: NUL characters and unpaired UTF-16 surrogates. Returns where. */
function findUnstorable(value: unknown, pointer: string): string | null {
  // A binary body (an upload) is stored as bytes, not text: nothing to check, and walking it is slow.
  if (ArrayBuffer.isView(value)) return null;
  // Nor a body the route reads as a stream (a dataset import): its bytes are decoded by the route.
  if (value && typeof (value as { pipe?: unknown }).pipe === "function") return null;
  if (typeof value === "string")
    return value.includes("\u0000") || UNPAIRED_SURROGATE.test(value) ? pointer : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], `${pointer}/${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes("\u0000") || UNPAIRED_SURROGATE.test(k))
        return `${pointer}/${k.replaceAll("\u0000", "\\u0000")}`;
      const found = findUnstorable(v, `${pointer}/${k.replaceAll("~", "~0").replaceAll("/", "~1")}`);
      if (found) return found;
    }
  }
  return null;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function fieldErrors(part: string, errors: AjvError[]): FieldError[] {
  return errors.map((e) => {
    let field = `/${part}${e.instancePath}`;
    if (e.keyword === "required") field += `/${String(e.params.missingProperty)}`;
    if (e.keyword === "additionalProperties") {
      field += `/${String(e.params.additionalProperty)}`;
      return { field, message: "is not an allowed field" };
    }
    return { field, message: e.message ?? "is invalid" };
  });
}

export interface ServerOptions {
  config: Config;
  logger: FastifyBaseLogger | boolean;
  /** Signs short-lived cookies (the OIDC round trip). */
  cookieSecret: string;
  authenticate(req: FastifyRequest): Promise<Actor | null>;
  /** Records a refused call in the audit trail (outcome "denied"). */
  auditDenied(req: FastifyRequest, reason: string): Promise<void>;
}

/** Refusals of a write that the audit trail records (with the problem's code as the reason). */
const AUDITED_REFUSALS = new Set([403, 409, 413]);
const deniedAudited = new WeakSet<FastifyRequest>();

/** Fastify with the house conventions: validation, problems, security headers, access, OpenAPI. */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const { config } = options;
  const app = Fastify({
    loggerInstance: typeof options.logger === "object" ? options.logger : undefined,
    logger: typeof options.logger === "boolean" ? options.logger : undefined,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: false,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => {
      const incoming = req.headers["x-request-id"];
      return typeof incoming === "string" && /^[\w.:-]{1,100}$/.test(incoming) ? incoming : newId();
    },
    ajv: { customOptions: {} },
    routerOptions: { ignoreTrailingSlash: true },
  }) as unknown as FastifyInstance;

  const bodyAjv = makeAjv(false);
  const paramAjv = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === "body" ? bodyAjv : paramAjv).compile(schema as object),
  );
  app.setSchemaErrorFormatter((errors, dataVar) => {
    const part = dataVar === "querystring" ? "query" : dataVar;
    return new AppError(HttpErrors.VALIDATION_FAILED, { errors: fieldErrors(part, errors as AjvError[]) });
  });
  app.decorateRequest("actor", null);

  app.addHook("onRequest", async (req, reply) => {
    reply.header("x-request-id", req.id);
  });
  app.addHook("onResponse", async (req, reply) => {
    // Masking costs time; skip it when the line would not be written anyway.
    const log = req.log as FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean };
    if (log.isLevelEnabled && !log.isLevelEnabled("info")) return;
    req.log.info(
      maskDeep({
        method: req.method,
        url: req.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        actor: req.actor?.id,
      }),
      "request",
    );
  });

  app.setErrorHandler(
    async (error: Error & { code?: string; statusCode?: number; validation?: unknown }, req, reply) => {
      let appError: AppError;
      if (error instanceof AppError) appError = error;
      else if (error.code === "FST_ERR_CTP_INVALID_JSON_BODY" || error instanceof SyntaxError) {
        appError = new AppError(HttpErrors.MALFORMED_JSON, { message: "The request body is not valid JSON" });
      } else if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
        appError = new AppError(HttpErrors.PAYLOAD_TOO_LARGE, {
          message: `The request body exceeds ${config.bodyLimitBytes} bytes`,
        });
      } else if (
        error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" ||
        error.code === "FST_ERR_CTP_INVALID_CONTENT_LENGTH"
      ) {
        appError = new AppError(HttpErrors.UNSUPPORTED_MEDIA_TYPE, {
          message: "Send JSON with Content-Type: application/json",
        });
      } else if (error.code === "FST_ERR_CTP_EMPTY_JSON_BODY") {
        appError = new AppError(HttpErrors.MALFORMED_JSON, { message: "The request body is empty" });
      } else if (error.statusCode === 429) {
        appError = new AppError(HttpErrors.RATE_LIMITED, { message: error.message });
      } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        appError = new AppError(HttpErrors.VALIDATION_FAILED, { message: error.message });
      } else {
        req.log.error({ err: error }, "unhandled error");
        appError = new AppError(HttpErrors.INTERNAL, {
          message: `An unexpected error occurred; quote request id ${req.id} to the operator`,
        });
      }
      if (appError.headers) reply.headers(appError.headers);
      // A write refused for a business reason (not yours, wrong state, too large) leaves a trace.
      if (
        req.actor &&
        req.method !== "GET" &&
        AUDITED_REFUSALS.has(appError.status) &&
        !deniedAudited.has(req)
      ) {
        deniedAudited.add(req);
        await options
          .auditDenied(req, appError.code)
          .catch((e) => req.log.error({ err: e }, "audit of a refusal failed"));
      }
      return reply
        .code(appError.status)
        .type("application/problem+json")
        .send(problemFor(appError, req.url.split("?")[0]!, req.id));
    },
  );

  app.setNotFoundHandler((req, reply) => {
    const error = new AppError(HttpErrors.NOT_FOUND, {
      message: `No route ${req.method} ${req.url.split("?")[0]}`,
    });
    return reply
      .code(404)
      .type("application/problem+json")
      .send(problemFor(error, req.url.split("?")[0]!, req.id));
  });

  const securityHeaders = helmetHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", "data:", "blob:"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'", "ws:", "wss:"],
        workerSrc: ["'self'", "blob:"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: config.publicUrl.startsWith("https:") ? { maxAge: 31536000 } : false,
  });
  app.addHook("onRequest", (_req, reply, done) => {
    reply.headers(securityHeaders);
    done();
  });
  await app.register(cookie, { secret: options.cookieSecret });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, context) => ({
      statusCode: 429,
      code: "RATE_LIMITED",
      message: `Too many attempts; try again in ${Math.ceil(context.ttl / 1000)} s`,
    }),
  });

  // Deny by default: a route that declares no access is refused to everyone; its OpenAPI security
  // is derived from the declaration so the document and the behaviour cannot disagree.
  app.addHook("onRoute", (route) => {
    if (route.url.startsWith("/docs") || route.url === "/openapi.json" || route.url === "/*") return;
    const access = route.config?.access;
    route.schema ??= {};
    const schema = route.schema as Record<string, unknown>;
    if (!access) {
      schema.security = [{ denied: [] }];
      return;
    }
    if ("public" in access) schema.security = [];
    else if ("system" in access) schema.security = [{ [access.system]: [] }];
    else {
      schema.security = [{ session: [] }, { bearer: [] }];
      if (access.clients) (schema.security as unknown[]).push({ [access.clients.scheme]: [] });
      schema["x-roles"] = access.roles === "authenticated" ? ["authenticated"] : [...access.roles];
      if (access.scope) schema["x-scope"] = access.scope;
    }
  });

  app.addHook("preValidation", async (req) => {
    // A POST that sends nothing (an action without options) is an empty object, not a malformed body.
    if (
      req.body === undefined &&
      req.routeOptions.schema?.body &&
      req.headers["content-length"] === undefined
    )
      req.body = {};
    const bad =
      findUnstorable(req.body, "/body") ??
      findUnstorable(req.query, "/query") ??
      findUnstorable(req.params, "/params");
    if (bad) {
      throw new AppError(HttpErrors.VALIDATION_FAILED, {
        errors: [{ field: bad, message: "must not contain NUL characters or unpaired surrogates" }],
      });
    }
  });

  app.addHook("onRequest", async (req) => {
    const access = req.routeOptions.config?.access;
    if (req.routeOptions.url === undefined) return; // 404: the not-found handler answers
    if (req.routeOptions.url.startsWith("/docs") || req.routeOptions.url === "/openapi.json") return;
    if (req.routeOptions.url === "/*" && req.method === "GET") return; // the web app's files
    if (access && "system" in access) {
      req.actor = null; // no session: the system's own credentials
      await access.authenticate(req);
      return;
    }
    if (access && "roles" in access && access.clients) {
      const client = await access.clients.authenticate(req).catch(async (e: unknown) => {
        if (e instanceof AppError && e.status === 401) await options.auditDenied(req, "client credentials");
        throw e;
      });
      if (client) return;
    }
    req.actor = await options.authenticate(req);
    if (access && "public" in access) return;
    if (!req.actor) throw new AppError(HttpErrors.UNAUTHENTICATED);
    if (!access) {
      deniedAudited.add(req);
      await options.auditDenied(req, "route declares no access");
      throw new AppError(HttpErrors.FORBIDDEN);
    }
    if (req.actor.mustChangePassword && !access.beforePasswordChange) {
      throw new AppError(HttpErrors.PASSWORD_CHANGE_REQUIRED);
    }
    if (access.roles !== "authenticated" && !req.actor.roles.some((r) => access.roles.includes(r))) {
      deniedAudited.add(req);
      await options.auditDenied(req, "role");
      throw new AppError(HttpErrors.FORBIDDEN, {
        message: `This operation needs one of the roles: ${access.roles.join(", ")}`,
      });
    }
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Fourfold API",
        version: "0.1.0",
        description:
          "四网融合 digital-government platform. Errors are RFC 9457 problem documents; POSTs honour Idempotency-Key.",
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "ff_session" },
          bearer: { type: "http", scheme: "bearer", description: "From createToken" },
          denied: { type: "apiKey", in: "header", name: "x-never", description: "Route declares no access" },
          "twin-client": {
            type: "http",
            scheme: "basic",
            description:
              "Devices and systems registered with the twin (registerTwinClient): client id and secret",
          },
          "exchange-client": {
            type: "oauth2",
            description: "Systems of other departments: OAuth 2.0 client credentials (registerClient)",
            flows: { clientCredentials: { tokenUrl: "/exchange/oauth/token", scopes: {} } },
          },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: true });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  return app;
}

/**
 * Helmet's security headers, computed once: they depend on configuration only (no CSP nonces), and
 * building them per request (as @fastify/helmet does) was the costliest library call on the write path.
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return headers;
}
