import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { appendAudit } from "./kernel/audit/audit";
import { registerAuditRoutes } from "./kernel/audit/audit.routes";
import { registerCalendarRoutes } from "./kernel/calendar/calendar.routes";
import { sm3 } from "./kernel/crypto/sm";
import { registerHealthRoutes } from "./kernel/http/health.routes";
import { createServer } from "./kernel/http/server";
import { registerOidcRoutes } from "./kernel/identity/oidc";
import { registerPeopleRoutes } from "./kernel/identity/people.routes";
import { bearerOrCookie, registerSignInRoutes } from "./kernel/identity/signin.routes";
import { registerStaffRoutes } from "./kernel/identity/staff.routes";
import { registerDepartmentRoutes } from "./kernel/org/departments.routes";
import type { Platform } from "./kernel/platform";
import { modules } from "./modules";
import { registerWorkflowRoutes } from "./workflow";

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../web/dist");

/** Builds the HTTP application on a platform: the kernel's routes, every module, the web app. */
export async function buildApp(
  platform: Platform,
  options: { isReady?: () => boolean } = {},
): Promise<FastifyInstance> {
  const app = await createServer({
    config: platform.config,
    logger: platform.log,
    cookieSecret: sm3(Buffer.concat([Buffer.from("cookie-signing:"), platform.masterKey])).toString("hex"),
    authenticate: async (req) => {
      const token = bearerOrCookie(req);
      return token ? platform.sessions.resolve(token) : null;
    },
    auditDenied: (req, reason) =>
      platform.db.transaction((tx) =>
        appendAudit(
          tx,
          { actor: req.actor, ip: req.ip, requestId: req.id, clock: platform.clock },
          {
            action: "access.denied",
            resourceType: "route",
            resourceId: `${req.method} ${req.routeOptions.url}`,
            outcome: "denied",
            details: { reason },
          },
        ),
      ),
  });

  registerHealthRoutes(app, platform, options.isReady ?? (() => true));
  registerSignInRoutes(app, platform);
  registerOidcRoutes(app, platform);
  registerDepartmentRoutes(app, platform);
  registerStaffRoutes(app, platform);
  registerPeopleRoutes(app, platform);
  registerAuditRoutes(app, platform);
  registerCalendarRoutes(app, platform);
  registerWorkflowRoutes(app, platform, platform.workflow);
  for (const module of modules) await module.register(app, platform);
  await registerWebApp(app);
  return app;
}

/** Paths of machine interfaces: an unknown one is a 404 problem, never the web app's page. */
const MACHINE_PATHS = /^\/(api|ngsi-ld|exchange|open311|mqtt)(\/|$|\?)/;

/** The built web app, with index.html for client-side routes. API paths never fall back to it. */
async function registerWebApp(app: FastifyInstance): Promise<void> {
  const hasDist = existsSync(path.join(WEB_DIST, "index.html"));
  if (hasDist) await app.register(fastifyStatic, { root: WEB_DIST, serve: false });
  app.get("/*", { schema: { hide: true }, config: { access: { public: true } } }, async (req, reply) => {
    const url = req.url.split("?")[0]!;
    if (MACHINE_PATHS.test(url) || !hasDist) return reply.callNotFound();
    const file = decodeURIComponent(url).replace(/^\/+/, "");
    if (file && !file.includes("..") && existsSync(path.join(WEB_DIST, file)) && path.extname(file)) {
      const immutable = file.startsWith("assets/");
      return reply
        .header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache")
        .sendFile(file);
    }
    if (path.extname(file) && !file.endsWith(".html")) return reply.callNotFound();
    return reply.header("cache-control", "no-cache").sendFile("index.html");
  });
}
