/**
 * Telemetry: the MQTT endpoints (embedded broker or MQTT_URL), ingestion into the time-series store,
 * the NGSI-LD temporal API over it, ingestion statistics, and the store's hourly upkeep.
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { AppError } from "../../../kernel/http/errors";
import { problems } from "../../../kernel/http/schemas";
import { runRead } from "../../../kernel/http/write";
import { scheduleJob } from "../../../kernel/jobs/jobs";
import type { Platform } from "../../../kernel/platform";
import type { TwinClients } from "../twin/clients";
import { type ActiveContext, compactIri, expandTerm } from "../twin/context";
import { bad, checkEntityId, expandAttrName } from "../twin/entity";
import { NgsiErrors } from "../twin/errors";
import type { TwinFeed } from "../twin/feed";
import { contextOf, listParam } from "../twin/http";
import { TWIN_READERS } from "../twin/ngsi.routes";
import { findEntity, queryEntities } from "../twin/store";
import { connectExternalBroker, startEmbeddedBroker, type TelemetryEndpoints } from "./broker";
import { TelemetryIngest } from "./ingest";
import { MAINTENANCE_JOB, maintainTelemetry } from "./maintenance";
import { TelemetrySimulator } from "./simulator";
import {
  type Aggregate,
  type AggregatedPeriod,
  type Instance,
  parseAggregates,
  parseDuration,
  parseTimeRange,
  readAggregates,
  readInstances,
  type TimeRange,
} from "./temporal";

export type { Reading } from "./store";
export { storeReadings } from "./store";

const HOUR = 3_600_000;
/** On a new demo district the simulator fills this much history, so charts and forecasts have data. */
const SIMULATOR_BACKFILL_HOURS = 48;

export interface Telemetry {
  ingest: TelemetryIngest;
  endpoints: TelemetryEndpoints;
}

export async function registerTelemetry(
  app: FastifyInstance,
  platform: Platform,
  feed: TwinFeed,
  clients: TwinClients,
): Promise<Telemetry> {
  const ingest = new TelemetryIngest(platform.db, feed, platform.log, platform.clock);
  const endpoints = platform.config.telemetry.mqttUrl
    ? await connectExternalBroker(platform, ingest)
    : await startEmbeddedBroker(app, platform, ingest, clients);
  const simulator = platform.config.telemetry.simulator
    ? new TelemetrySimulator(
        platform.db,
        ingest,
        () => platform.calendar.current,
        platform.clock,
        platform.log,
      )
    : null;
  app.addHook("onListen", async () => {
    await endpoints.listenTcp();
    // Serving processes schedule the upkeep (tests on app.inject keep their job queue to themselves).
    await platform.db.transaction((tx) =>
      scheduleJob(tx, platform.clock, {
        kind: MAINTENANCE_JOB,
        dedupeKey: MAINTENANCE_JOB,
        runAt: new Date(platform.clock.now().getTime() + HOUR),
      }),
    );
    // Only a listening server simulates (not tests on app.inject); in the background, after ready.
    simulator
      ?.start(SIMULATOR_BACKFILL_HOURS)
      .catch((e) => platform.log.error({ err: e }, "telemetry simulator failed"));
  });
  app.addHook("onClose", async () => {
    await simulator?.stop();
    await endpoints.close();
    await ingest.close();
  });

  platform.jobs.register(MAINTENANCE_JOB, async (ctx) => {
    const done = await maintainTelemetry(ctx.tx, ctx.clock.now(), platform.config.telemetry.rawDays);
    if (done.created.length + done.dropped.length > 0) ctx.log.info(done, "telemetry partitions maintained");
    await scheduleJob(ctx.tx, ctx.clock, {
      kind: MAINTENANCE_JOB,
      dedupeKey: MAINTENANCE_JOB,
      runAt: new Date(ctx.clock.now().getTime() + HOUR),
    });
  });
  // Partitions for today exist before the first reading arrives (the job then keeps them ahead).
  await platform.db.transaction((tx) =>
    maintainTelemetry(tx, platform.clock.now(), platform.config.telemetry.rawDays),
  );

  registerTemporalRoutes(app, platform, clients);
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    "/api/operations/telemetry",
    {
      schema: {
        operationId: "getTelemetryStatus",
        tags: ["twin"],
        summary: "Telemetry ingestion: counts of messages, readings stored, duplicates and problems",
        response: { 200: Type.Unknown(), ...problems(401, 403) },
      },
      config: { access: { roles: TWIN_READERS, scope: "district" } },
    },
    async () => ({
      ...ingest.stats,
      backlog: ingest.backlog,
      broker: platform.config.telemetry.mqttUrl ? "external" : "embedded",
      mqttTcpPort: endpoints.tcpPort(),
      mqttWebSocketPath: platform.config.telemetry.mqttUrl ? null : "/mqtt",
    }),
  );
  return { ingest, endpoints };
}

const TemporalQuery = {
  attrs: Type.Optional(Type.String({ maxLength: 2000 })),
  timerel: Type.Optional(Type.String({ maxLength: 20 })),
  timeAt: Type.Optional(Type.String({ maxLength: 40 })),
  endTimeAt: Type.Optional(Type.String({ maxLength: 40 })),
  timeproperty: Type.Optional(Type.String({ maxLength: 40 })),
  lastN: Type.Optional(Type.String({ pattern: "^\\d{1,6}$" })),
  options: Type.Optional(Type.String({ maxLength: 200 })),
  format: Type.Optional(Type.String({ maxLength: 50 })),
  aggrMethods: Type.Optional(Type.String({ maxLength: 200 })),
  aggrPeriodDuration: Type.Optional(Type.String({ maxLength: 40 })),
};

type Representation =
  | { kind: "normalized" }
  | { kind: "temporalValues" }
  | { kind: "aggregated"; methods: Aggregate[]; periodMs: number };

function representationOf(query: {
  options?: string;
  format?: string;
  aggrMethods?: string;
  aggrPeriodDuration?: string;
}): Representation {
  const options = new Set((query.options ?? "").split(",").map((o) => o.trim()));
  const format =
    query.format ??
    (options.has("aggregatedValues")
      ? "aggregatedValues"
      : options.has("temporalValues")
        ? "temporalValues"
        : "normalized");
  if (format === "aggregatedValues")
    return {
      kind: "aggregated",
      methods: parseAggregates(query.aggrMethods),
      periodMs: query.aggrPeriodDuration ? parseDuration(query.aggrPeriodDuration) : 24 * HOUR,
    };
  if (format === "temporalValues" || format === "simplified") return { kind: "temporalValues" };
  if (format === "normalized") return { kind: "normalized" };
  throw bad(`format ${format} is not normalized, temporalValues or aggregatedValues`);
}

async function temporalEntity(
  tx: Platform["db"],
  context: ActiveContext,
  entity: { id: string; types: string[]; attrs: Record<string, { type: string; unitCode?: string }> },
  attrs: string[] | null,
  range: TimeRange,
  representation: Representation,
): Promise<Record<string, unknown>> {
  const types = entity.types.map((t) => compactIri(context, t));
  const out: Record<string, unknown> = { id: entity.id, type: types.length === 1 ? types[0] : types };
  const unitOf = (attr: string) => entity.attrs[attr]?.unitCode;
  if (representation.kind === "aggregated") {
    const periods = await readAggregates(tx, entity.id, attrs, range, representation.periodMs);
    const byAttr = groupBy(periods, (p) => p.attr);
    for (const [attr, list] of byAttr) {
      const member: Record<string, unknown> = { type: "Property" };
      for (const method of representation.methods)
        member[method] = list.map((p: AggregatedPeriod) => [p[method], p.start, p.end]);
      out[compactIri(context, attr)] = member;
    }
    return out;
  }
  const instances = await readInstances(tx, entity.id, attrs, range);
  for (const [attr, list] of groupBy(instances, (i) => i.attr)) {
    const unitCode = unitOf(attr);
    out[compactIri(context, attr)] =
      representation.kind === "temporalValues"
        ? { type: "Property", values: list.map((i: Instance) => [i.value, i.observedAt]) }
        : list.map((i: Instance) => ({
            type: "Property",
            value: i.value,
            observedAt: i.observedAt,
            ...(unitCode ? { unitCode } : {}),
          }));
  }
  return out;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

function registerTemporalRoutes(root: FastifyInstance, platform: Platform, clients: TwinClients): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const read = { roles: TWIN_READERS, scope: "district" as const, clients };

  app.get(
    "/ngsi-ld/v1/temporal/entities/:entityId",
    {
      schema: {
        operationId: "getTemporalEntity",
        tags: ["twin"],
        summary:
          "An entity's attribute history (timerel before|after|between, lastN; temporalValues or aggregatedValues)",
        params: Type.Object({ entityId: Type.String({ minLength: 1, maxLength: 512 }) }),
        querystring: Type.Object(TemporalQuery),
        response: { 200: Type.Unknown(), ...problems(400, 401, 403, 404) },
      },
      config: { access: read },
    },
    async (req, reply) => {
      const context = contextOf(req);
      const id = checkEntityId(req.params.entityId);
      clients.check(req, "read", id);
      const attrs = listParam(req.query.attrs, "attrs")?.map((a) => expandAttrName(context, a)) ?? null;
      const range = parseTimeRange(req.query);
      const representation = representationOf(req.query);
      const body = await runRead(req, platform, async (ctx) => {
        const entity = await findEntity(ctx.tx, id);
        if (!entity) throw new AppError(NgsiErrors.NGSI_RESOURCE_NOT_FOUND, { message: `No entity ${id}` });
        return temporalEntity(ctx.tx, context, entity, attrs, range, representation);
      });
      reply.header("link", context.link);
      return reply.type("application/json").send(body);
    },
  );

  app.get(
    "/ngsi-ld/v1/temporal/entities",
    {
      schema: {
        operationId: "queryTemporalEntities",
        tags: ["twin"],
        summary: "Attribute histories of the entities of a type (or ids), in a time range",
        querystring: Type.Object({
          ...TemporalQuery,
          type: Type.Optional(Type.String({ maxLength: 2000 })),
          id: Type.Optional(Type.String({ maxLength: 20_000 })),
          limit: Type.Optional(Type.String({ pattern: "^\\d{1,3}$" })),
          offset: Type.Optional(Type.String({ pattern: "^\\d{1,9}$" })),
        }),
        response: { 200: Type.Unknown(), ...problems(400, 401, 403) },
      },
      config: { access: read },
    },
    async (req, reply) => {
      const context = contextOf(req);
      const types =
        listParam(req.query.type?.replaceAll("|", ","), "type")?.map((t) => expandTerm(context, t)) ?? null;
      const asked = listParam(req.query.id, "id", 100)?.map((id) => checkEntityId(id)) ?? null;
      if (!types && !asked) throw bad("a temporal query needs type or id");
      const ids = clients.readableIds(req, asked);
      const attrs = listParam(req.query.attrs, "attrs")?.map((a) => expandAttrName(context, a)) ?? null;
      const range = parseTimeRange(req.query);
      if (range.from === null && range.to === null && range.lastN === null)
        throw bad("a temporal query needs timerel and timeAt, or lastN");
      const representation = representationOf(req.query);
      const limit = Math.min(100, Number(req.query.limit ?? 20));
      const body = await runRead(req, platform, async (ctx) => {
        const { entities } = await queryEntities(ctx.tx, {
          ids,
          idPattern: null,
          types,
          withAnyAttr: attrs,
          q: null,
          geo: null,
          limit,
          offset: Number(req.query.offset ?? 0),
          count: false,
        });
        const out = [];
        for (const entity of entities)
          out.push(await temporalEntity(ctx.tx, context, entity, attrs, range, representation));
        return out;
      });
      reply.header("link", context.link);
      return reply.type("application/json").send(body);
    },
  );
}
