import { Readable } from "node:stream";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { STAFF_ROLES } from "../../../kernel/access/roles";
import { requestCtx, systemCtx } from "../../../kernel/http/context";
import { AppError } from "../../../kernel/http/errors";
import { Page, PageQuery, problems, StringEnum, Text } from "../../../kernel/http/schemas";
import { runRead, runWrite } from "../../../kernel/http/write";
import { scheduleJob } from "../../../kernel/jobs/jobs";
import type { Platform } from "../../../kernel/platform";
import { loadDemoSources, MASTER_DEMO_JOB } from "./demo";
import { MasterErrors } from "./errors";
import { type LoadDeps, QUALITY_JOB, runLoad } from "./load/loader";
import type { DatasetFormat } from "./load/reader";
import { getLoad, listLinks, listLoads } from "./loads.service";
import { computeQuality, listFailures, qualityBoard, RULES } from "./quality.service";
import {
  explainRecord,
  prefill,
  readRecord,
  recordExists,
  searchRecords,
  updateRecord,
} from "./registry.service";
import { decideReview, getReview, listReviews, undoReview } from "./reviews.service";
import { defineSource, getSource, listSources, mayManage } from "./sources.service";
import type { MasterBase } from "./standardise/fields";

export const MASTER_BASES = ["population", "legalPerson"] as const satisfies readonly MasterBase[];
export const PULL_JOB = "datahub.master.pull";

const CODE = Type.String({
  pattern: "^[a-z0-9][a-z0-9-]{1,63}$",
  description: "lowercase letters, digits, hyphens",
});
const staff = { roles: STAFF_ROLES, scope: "department" as const };
const officers = { roles: ["dataofficer", "databureau", "admin"] as const, scope: "department" as const };
const Any = Type.Object({}, { additionalProperties: true });
const DATASET_TYPES: Record<string, DatasetFormat> = {
  "text/csv": "csv",
  "application/csv": "csv",
  "application/x-ndjson": "ndjson",
  "application/jsonl": "ndjson",
  "application/json": "json",
};

export function registerMasterDataRoutes(root: FastifyInstance, platform: Platform): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const settings = platform.config.datahub;
  const thresholds = { match: settings.matchPercent / 100, review: settings.reviewPercent / 100 };
  const deps: LoadDeps = { db: platform.db, clock: platform.clock, log: platform.log, thresholds };

  app.get(
    "/api/datahub/master/sources",
    {
      schema: {
        operationId: "listSources",
        tags: ["datahub"],
        summary: "Department datasets feeding the population and legal-person bases",
        querystring: Type.Object({ base: Type.Optional(StringEnum(MASTER_BASES)) }),
        response: { 200: Type.Array(Any), ...problems(400, 401, 403) },
      },
      config: { access: staff },
    },
    async (req) => runRead(req, platform, (ctx) => listSources(ctx, req.query.base)),
  );

  app.get(
    "/api/datahub/master/sources/:code",
    {
      schema: {
        operationId: "getSource",
        tags: ["datahub"],
        params: Type.Object({ code: CODE }),
        response: { 200: Any, ...problems(400, 401, 403, 404) },
      },
      config: { access: staff },
    },
    async (req) => runRead(req, platform, (ctx) => getSource(ctx, req.params.code)),
  );

  app.post(
    "/api/datahub/master/sources",
    {
      schema: {
        operationId: "defineSource",
        tags: ["datahub"],
        summary: "Register a department dataset with its column mapping (or change it): 201 new, 200 changed",
        body: Type.Object(
          {
            code: CODE,
            name: Text(100),
            department: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            base: StringEnum(MASTER_BASES),
            mapping: Type.Record(
              Type.String({ minLength: 1, maxLength: 100 }),
              Type.String({ maxLength: 64 }),
              {
                maxProperties: 200,
              },
            ),
            keyColumn: Type.String({ minLength: 1, maxLength: 100 }),
            pullUrl: Type.Optional(
              Type.Union([Type.Null(), Type.String({ pattern: "^https?://", maxLength: 2000 })]),
            ),
            pullEveryMinutes: Type.Optional(
              Type.Union([Type.Null(), Type.Integer({ minimum: 5, maximum: 10_080 })]),
            ),
            updateCycleDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Any, 201: Any, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: officers },
    },
    async (req, reply) => {
      let created = false;
      return runWrite(
        req,
        reply,
        platform,
        () => (created ? 201 : 200),
        async (ctx) => {
          const result = await defineSource(ctx, req.body);
          created = result.created;
          if (result.source.pullUrl)
            await scheduleJob(ctx.tx, ctx.clock, {
              kind: PULL_JOB,
              payload: { source: result.source.code },
              dedupeKey: `${PULL_JOB}:${result.source.code}`,
            });
          return result.source;
        },
      );
    },
  );

  // A dataset arrives as the request body and is read as it streams (a million rows in bounded memory).
  root.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, payload, done) => done(null, payload));
    scope.withTypeProvider<TypeBoxTypeProvider>().post(
      "/api/datahub/master/imports",
      {
        schema: {
          operationId: "importDataset",
          tags: ["datahub"],
          summary:
            "Load a source's dataset (body text/csv, application/x-ndjson or application/json; UTF-8 or GBK): answers with the load report",
          querystring: Type.Object({
            source: CODE,
            mode: Type.Optional(StringEnum(["full", "delta"] as const)),
          }),
          response: { 200: Any, ...problems(400, 401, 403, 404, 415, 422) },
        },
        config: { access: officers },
      },
      async (req, reply) => {
        const type = String(req.headers["content-type"] ?? "")
          .split(";")[0]!
          .trim()
          .toLowerCase();
        const format = DATASET_TYPES[type];
        const body = req.body as Readable;
        if (!format) {
          body.resume();
          throw new AppError(MasterErrors.UNSUPPORTED_DATASET_TYPE, {
            errors: [{ field: "/headers/content-type", message: `${type || "none"} is not a dataset type` }],
          });
        }
        const source = await platform.db
          .transaction(async (tx) => {
            const ctx = requestCtx(req, tx, platform.clock);
            const s = await getSource(ctx, req.query.source);
            if (!(await mayManage(ctx, s.departmentId)))
              throw new AppError(MasterErrors.NOT_SOURCE_DEPARTMENT);
            return s;
          })
          .catch((e) => {
            body.resume();
            throw e;
          });
        const length = Number(req.headers["content-length"]);
        const report = await runLoad(deps, requestCtx(req, platform.db, platform.clock), source, body, {
          format,
          mode: req.query.mode ?? "full",
          bytesTotal: Number.isFinite(length) ? length : null,
        });
        if (report.status === "failed")
          throw new AppError(MasterErrors.LOAD_REFUSED, {
            message: report.error ?? undefined,
            details: { load: report },
          });
        return reply.code(200).send(report);
      },
    );
  });

  app.get(
    "/api/datahub/master/loads",
    {
      schema: {
        operationId: "listLoads",
        tags: ["datahub"],
        summary: "Loads of the sources, newest first, with their progress or report",
        querystring: Type.Object({ source: Type.Optional(CODE), ...PageQuery }),
        response: { 200: Page(Any), ...problems(400, 401, 403) },
      },
      config: { access: officers },
    },
    async (req) =>
      runRead(req, platform, (ctx) =>
        listLoads(ctx, {
          source: req.query.source,
          page: req.query.page ?? 1,
          pageSize: req.query.pageSize ?? 20,
        }),
      ),
  );

  app.get(
    "/api/datahub/master/loads/:id",
    {
      schema: {
        operationId: "getLoad",
        tags: ["datahub"],
        params: Type.Object({ id: Type.String({ format: "uuid" }) }),
        response: { 200: Any, ...problems(400, 401, 403, 404) },
      },
      config: { access: officers },
    },
    async (req) => runRead(req, platform, (ctx) => getLoad(ctx, req.params.id)),
  );

  app.get(
    "/api/datahub/master/links",
    {
      schema: {
        operationId: "listRecordLinks",
        tags: ["datahub"],
        summary: "Which golden record each record of a source belongs to, paged",
        querystring: Type.Object({
          source: CODE,
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 })),
          pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
        }),
        response: {
          200: Type.Array(
            Type.Object({
              source: Type.String(),
              sourceRecordId: Type.String(),
              goldenId: Type.Union([Type.String(), Type.Null()]),
              method: Type.Union([Type.String(), Type.Null()]),
            }),
          ),
          ...problems(400, 401, 403, 404),
        },
      },
      config: { access: officers },
    },
    async (req, reply) => {
      const page = await runRead(req, platform, (ctx) =>
        listLinks(ctx, {
          source: req.query.source,
          page: req.query.page ?? 1,
          pageSize: req.query.pageSize ?? 1000,
        }),
      );
      return reply.header("x-total-count", String(page.total)).send(page.items);
    },
  );

  app.get(
    "/api/datahub/master/reviews",
    {
      schema: {
        operationId: "listReviews",
        tags: ["datahub"],
        summary: "The review queue of uncertain matches (pending by default), surest first",
        querystring: Type.Object({
          base: Type.Optional(StringEnum(MASTER_BASES)),
          status: Type.Optional(StringEnum(["pending", "match", "distinct", "void"] as const)),
          ...PageQuery,
        }),
        response: { 200: Page(Any), ...problems(400, 401, 403) },
      },
      config: { access: officers },
    },
    async (req) =>
      runRead(req, platform, (ctx) =>
        listReviews(ctx, {
          base: req.query.base,
          status: req.query.status ?? "pending",
          page: req.query.page ?? 1,
          pageSize: req.query.pageSize ?? 20,
        }),
      ),
  );

  app.get(
    "/api/datahub/master/reviews/:id",
    {
      schema: {
        operationId: "getReview",
        tags: ["datahub"],
        params: Type.Object({ id: Type.String({ format: "uuid" }) }),
        response: { 200: Any, ...problems(400, 401, 403, 404) },
      },
      config: { access: officers },
    },
    async (req) => runRead(req, platform, (ctx) => getReview(ctx, req.params.id)),
  );

  app.post(
    "/api/datahub/master/reviews/:id/decision",
    {
      schema: {
        operationId: "decideReview",
        tags: ["datahub"],
        summary: "Decide a pair: the same person or enterprise (match) or not (distinct); remembered",
        params: Type.Object({ id: Type.String({ format: "uuid" }) }),
        body: Type.Object(
          { decision: StringEnum(["match", "distinct"] as const) },
          { additionalProperties: false },
        ),
        response: { 200: Any, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: officers },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, (ctx) =>
        decideReview(ctx, thresholds, req.params.id, req.body.decision),
      ),
  );

  app.post(
    "/api/datahub/master/reviews/:id/undo",
    {
      schema: {
        operationId: "undoReview",
        tags: ["datahub"],
        summary: "Undo a decision: the pair is pending again and a matched record is resolved afresh",
        params: Type.Object({ id: Type.String({ format: "uuid" }) }),
        response: { 200: Any, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: officers },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, (ctx) => undoReview(ctx, thresholds, req.params.id)),
  );

  app.get(
    "/api/datahub/master/quality",
    {
      schema: {
        operationId: "getQualityScores",
        tags: ["datahub"],
        summary: "Data-quality scorecard per source, department and field",
        querystring: Type.Object({ base: Type.Optional(StringEnum(MASTER_BASES)) }),
        response: { 200: Any, ...problems(400, 401, 403) },
      },
      config: { access: staff },
    },
    async (req) => runRead(req, platform, (ctx) => qualityBoard(ctx, req.query.base)),
  );

  app.get(
    "/api/datahub/master/quality/failures",
    {
      schema: {
        operationId: "listQualityFailures",
        tags: ["datahub"],
        summary: "The records of a source that fail a rule on a field",
        querystring: Type.Object({
          source: CODE,
          field: Type.String({ pattern: "^[a-zA-Z]{1,64}$" }),
          rule: StringEnum(
            RULES.filter((r) => r !== "timeliness") as [
              "completeness",
              "validity",
              "uniqueness",
              "consistency",
            ],
          ),
          ...PageQuery,
        }),
        response: { 200: Page(Any), ...problems(400, 401, 403, 404) },
      },
      config: { access: officers },
    },
    async (req) =>
      runRead(req, platform, (ctx) =>
        listFailures(ctx, {
          source: req.query.source,
          field: req.query.field,
          rule: req.query.rule,
          page: req.query.page ?? 1,
          pageSize: req.query.pageSize ?? 20,
        }),
      ),
  );

  const BaseParam = Type.Object({ base: StringEnum(MASTER_BASES) });
  const RecordParams = Type.Object({
    base: StringEnum(MASTER_BASES),
    id: Type.String({ minLength: 1, maxLength: 64 }),
  });

  app.get(
    "/api/datahub/registries/:base/records",
    {
      schema: {
        operationId: "searchRecords",
        tags: ["datahub"],
        summary: "Search a base by identifier, mobile number or name (masked unless yours to see)",
        params: BaseParam,
        querystring: Type.Object({
          q: Type.String({ minLength: 1, maxLength: 64, pattern: "\\S" }),
          ...PageQuery,
        }),
        response: { 200: Page(Any), ...problems(400, 401, 403) },
      },
      config: { access: staff },
    },
    async (req) =>
      runRead(req, platform, (ctx) =>
        searchRecords(ctx, req.params.base, {
          q: req.query.q,
          page: req.query.page ?? 1,
          pageSize: req.query.pageSize ?? 20,
        }),
      ),
  );

  app.get(
    "/api/datahub/registries/:base/records/:id",
    {
      schema: {
        operationId: "readRecord",
        tags: ["datahub"],
        summary: "A golden record by id or identifier, each field with its source department",
        params: RecordParams,
        response: { 200: Any, ...problems(400, 401, 403, 404) },
      },
      config: { access: staff },
    },
    async (req) => runRead(req, platform, (ctx) => readRecord(ctx, req.params.base, req.params.id)),
  );

  app.get(
    "/api/datahub/registries/:base/records/:id/explanation",
    {
      schema: {
        operationId: "explainRecord",
        tags: ["datahub"],
        summary:
          "A golden record field by field: every source's value, the one chosen and why, and its history",
        params: RecordParams,
        response: { 200: Any, ...problems(400, 401, 403, 404) },
      },
      config: { access: officers },
    },
    async (req) => runRead(req, platform, (ctx) => explainRecord(ctx, req.params.base, req.params.id)),
  );

  app.post(
    "/api/datahub/registries/:base/exists",
    {
      schema: {
        operationId: "recordExists",
        tags: ["datahub"],
        summary: "Whether the base holds this citizen ID number or USCC",
        params: BaseParam,
        body: Type.Object(
          { identifier: Type.String({ minLength: 1, maxLength: 64 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ exists: Type.Boolean() }), ...problems(400, 401, 403) },
      },
      config: { access: staff },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, (ctx) => recordExists(ctx, req.params.base, req.body.identifier)),
  );

  app.patch(
    "/api/datahub/registries/:base/records/:id",
    {
      schema: {
        operationId: "updateRecord",
        tags: ["datahub"],
        summary: "Correct fields of a golden record: only the authoritative department of each field",
        params: RecordParams,
        body: Type.Object(
          {
            fields: Type.Record(
              Type.String({ pattern: "^[a-zA-Z]{1,64}$" }),
              Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Null()]),
              { minProperties: 1, maxProperties: 20 },
            ),
            reason: Text(500),
          },
          { additionalProperties: false },
        ),
        response: { 200: Any, ...problems(400, 401, 403, 404) },
      },
      config: { access: officers },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, (ctx) =>
        updateRecord(ctx, thresholds, req.params.base, req.params.id, req.body),
      ),
  );

  app.post(
    "/api/datahub/registries/:base/prefill",
    {
      schema: {
        operationId: "prefill",
        tags: ["datahub"],
        summary:
          "Values for a form with the department that supplied each, under a consent receipt (a citizen or enterprise: its own)",
        params: BaseParam,
        body: Type.Object(
          {
            subject: Type.String({ minLength: 1, maxLength: 64, description: "citizen ID number or USCC" }),
            fields: Type.Array(Type.String({ pattern: "^[a-zA-Z]{1,64}$" }), { minItems: 1, maxItems: 30 }),
            purpose: Text(200),
          },
          { additionalProperties: false },
        ),
        response: { 200: Any, ...problems(400, 401, 403, 404) },
      },
      config: { access: { roles: "authenticated" } },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, (ctx) => prefill(ctx, req.params.base, req.body)),
  );

  platform.jobs.register(
    MASTER_DEMO_JOB,
    (ctx) => loadDemoSources(deps, systemCtx(platform.db, platform.clock, ctx.log, "demo:master-data")),
    { outside: true },
  );
  platform.jobs.register(QUALITY_JOB, (ctx, payload) =>
    computeQuality(ctx.tx, (payload as { source: string }).source, ctx.clock.now()),
  );

  // A source with a pull URL is loaded from it on its schedule (and at once when defined).
  platform.jobs.register(
    PULL_JOB,
    async (ctx, payload) => {
      const code = (payload as { source: string }).source;
      const source = await getSource(ctx, code).catch(() => null);
      if (!source?.pullUrl) return;
      const next = new Date(ctx.clock.now().getTime() + (source.pullEveryMinutes ?? 60) * 60_000);
      try {
        const response = await fetch(source.pullUrl, { signal: AbortSignal.timeout(10 * 60_000) });
        if (!response.ok || !response.body) throw new Error(`${source.pullUrl} answered ${response.status}`);
        const type = String(response.headers.get("content-type") ?? "")
          .split(";")[0]!
          .trim()
          .toLowerCase();
        await runLoad(
          deps,
          systemCtx(platform.db, platform.clock, ctx.log, `pull:${code}`),
          source,
          Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>),
          { format: DATASET_TYPES[type] ?? "json", mode: "full" },
        );
      } catch (e) {
        ctx.log.warn({ err: e, source: code }, "master-data pull failed");
      }
      await scheduleJob(platform.db, platform.clock, {
        kind: PULL_JOB,
        payload: { source: code },
        runAt: next,
        dedupeKey: `${PULL_JOB}:${code}`,
      });
    },
    { outside: true },
  );
}
