/** Forecasts and warnings: the routes, the CAP intake and the job that keeps forecast warnings current. */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { problems } from "../../../kernel/http/schemas";
import { runRead, runWrite } from "../../../kernel/http/write";
import { scheduleJob } from "../../../kernel/jobs/jobs";
import type { Platform } from "../../../kernel/platform";
import { dayKind } from "../telemetry/simulator";
import { TWIN_READERS, TWIN_WRITERS } from "../twin/ngsi.routes";
import { parseCap } from "./cap";
import { applyForecasts, expireWarnings, forecastAll, ingestCap, listWarnings } from "./forecast.service";

export const FORECAST_JOB = "operations.forecast.evaluate";
const EVERY_MS = 10 * 60_000;
const CAP_TYPES = ["application/cap+xml", "application/xml", "text/xml"];

export function registerForecasts(root: FastifyInstance, platform: Platform): void {
  const kindOf = (at: Date) => dayKind(at, platform.calendar.current);
  platform.jobs.register(FORECAST_JOB, async (ctx) => {
    const forecasts = await forecastAll(ctx.tx, ctx.clock.now(), kindOf);
    const counts = await applyForecasts(ctx, forecasts);
    const expired = await expireWarnings(ctx);
    if (counts.raised + counts.updated + counts.ended + expired > 0)
      ctx.log.info({ ...counts, expired }, "area warnings changed");
    await scheduleJob(ctx.tx, ctx.clock, {
      kind: FORECAST_JOB,
      dedupeKey: FORECAST_JOB,
      runAt: new Date(ctx.clock.now().getTime() + EVERY_MS),
    });
  });
  // Scheduled by serving processes only (tests on app.inject keep their job queue to themselves).
  root.addHook("onListen", async () => {
    await platform.db.transaction((tx) =>
      scheduleJob(tx, platform.clock, {
        kind: FORECAST_JOB,
        dedupeKey: FORECAST_JOB,
        runAt: new Date(platform.clock.now().getTime() + 60_000),
      }),
    );
  });

  root.register(async (scope) => {
    scope.addContentTypeParser(CAP_TYPES, { parseAs: "string", bodyLimit: 512 * 1024 }, (_req, body, done) =>
      done(null, String(body)),
    );
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();
    const read = { roles: TWIN_READERS, scope: "district" as const };

    app.get(
      "/api/operations/forecasts",
      {
        schema: {
          operationId: "listAreaForecasts",
          tags: ["twin"],
          summary:
            "Next three hours of each area's crowd (against 80 % of its capacity) and congestion index (against 2.0), with 80 % intervals",
          response: { 200: Type.Unknown(), ...problems(401, 403) },
        },
        config: { access: read },
      },
      async (req) => runRead(req, platform, (ctx) => forecastAll(ctx.tx, ctx.clock.now(), kindOf)),
    );

    app.get(
      "/api/operations/warnings",
      {
        schema: {
          operationId: "listAreaWarnings",
          tags: ["twin"],
          summary: "Area warnings (预警) from forecasts and CAP weather warnings; active ones by default",
          querystring: Type.Object({
            active: Type.Optional(Type.Boolean({ default: true })),
            areaId: Type.Optional(Type.String({ maxLength: 512 })),
          }),
          response: { 200: Type.Unknown(), ...problems(400, 401, 403) },
        },
        config: { access: read },
      },
      async (req) =>
        runRead(req, platform, (ctx) =>
          listWarnings(ctx.tx, {
            active: req.query.active !== false,
            ...(req.query.areaId ? { areaId: req.query.areaId } : {}),
          }),
        ),
    );

    app.post(
      "/api/operations/cap-alerts",
      {
        schema: {
          operationId: "ingestCapAlert",
          tags: ["twin"],
          summary:
            "A CAP 1.2 warning (application/cap+xml): Alert/Update raise weather warnings on the areas it covers, Cancel withdraws them",
          body: Type.String({ minLength: 1, description: "CAP 1.2 XML" }),
          response: { 201: Type.Unknown(), ...problems(400, 401, 403, 415) },
        },
        config: { access: { roles: TWIN_WRITERS, scope: "district" } },
      },
      async (req, reply) => {
        const alert = parseCap(req.body);
        return runWrite(req, reply, platform, 201, async (ctx) => ({
          identifier: alert.identifier,
          msgType: alert.msgType,
          warnings: await ingestCap(ctx, alert),
        }));
      },
    );
  });
}
