import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { Platform } from "../platform";
import { AppError, HttpErrors } from "./errors";
import { problems } from "./schemas";

export function registerHealthRoutes(app: FastifyInstance, platform: Platform, isReady: () => boolean): void {
  app.get(
    "/healthz",
    {
      schema: {
        operationId: "getHealth",
        tags: ["operations"],
        summary: "Liveness: the process answers",
        response: { 200: Type.Object({ status: Type.Literal("ok") }) },
      },
      config: { access: { public: true } },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/readyz",
    {
      schema: {
        operationId: "getReadiness",
        tags: ["operations"],
        summary: "Readiness: migrated, seeded and the database answers",
        response: {
          200: Type.Object({ status: Type.Literal("ready"), database: Type.String() }),
          ...problems(503),
        },
      },
      config: { access: { public: true } },
    },
    async () => {
      if (!isReady()) throw new AppError(HttpErrors.UNAVAILABLE, { message: "The server is starting up" });
      await platform.db.execute(sql`select 1`);
      return { status: "ready" as const, database: platform.database.kind };
    },
  );
}
