/** The indicator catalog at /api/operations/indicators (体征指标). */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { Page, PageQuery, problems, StringEnum, Text } from "../../../kernel/http/schemas";
import { runRead, runWrite } from "../../../kernel/http/write";
import type { Platform } from "../../../kernel/platform";
import { TWIN_READERS } from "../twin/ngsi.routes";
import type { IndicatorEngine } from "./engine";
import {
  createIndicator,
  getIndicator,
  indicatorSummary,
  listIndicators,
  updateIndicatorThresholds,
} from "./indicators.service";
import { CATEGORIES, DIRECTIONS, LEVELS } from "./levels";

const BASE = "/api/operations/indicators";
const readers = { roles: TWIN_READERS, scope: "district" as const };
const CODE = "^[A-Z0-9][A-Z0-9._-]{1,63}$";
const Code = Type.String({ pattern: CODE, description: "upper-case letters, digits, . _ -" });
const Threshold = Type.Union([Type.Number(), Type.Null()]);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const Indicator = Type.Object({
  code: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  unit: Type.String(),
  category: StringEnum(CATEGORIES),
  areaId: Type.String(),
  areaName: Nullable(Type.String()),
  refreshSeconds: Type.Integer(),
  direction: StringEnum(DIRECTIONS),
  thresholds: Type.Object({ attention: Threshold, warning: Threshold, alarm: Threshold }),
  value: Type.Union([Type.Number(), Type.Null()], { description: "null: the formula has no data" }),
  level: Type.Union([StringEnum(LEVELS), Type.Null()], {
    description: "normal 正常 | attention 关注 | warning 预警 | alarm 告警; null before the first data",
  }),
  valueAt: Nullable(Type.String({ format: "date-time" })),
  levelSince: Nullable(Type.String({ format: "date-time" })),
  updatedAt: Type.String({ format: "date-time" }),
});
const FormulaSchema = Type.Unknown({
  description:
    "A formula of the indicator language (docs/indicators.md): {op: sum|avg|max|min|count|latest|rate, select, attr, window}, {op: ratio, num, den, scale} or a number",
});
const IndicatorDetail = Type.Intersect([
  Indicator,
  Type.Object({
    formula: FormulaSchema,
    history: Type.Array(
      Type.Object({
        at: Type.String({ format: "date-time" }),
        value: Type.Union([Type.Number(), Type.Null()]),
        level: Type.Union([StringEnum(LEVELS), Type.Null()]),
      }),
    ),
  }),
]);
const Counts = {
  total: Type.Integer(),
  normal: Type.Integer(),
  attention: Type.Integer(),
  warning: Type.Integer(),
  alarm: Type.Integer(),
  none: Type.Integer({ description: "no data yet" }),
};
const AreaId = Type.String({
  minLength: 1,
  maxLength: 512,
  description: "an Area entity id; sub-areas included",
});

export function registerIndicatorRoutes(
  root: FastifyInstance,
  platform: Platform,
  engine: IndicatorEngine,
): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    BASE,
    {
      schema: {
        operationId: "listIndicators",
        tags: ["operations"],
        summary: "The indicator catalog (体征指标) with current values and levels, filtered and paged",
        querystring: Type.Object({
          category: Type.Optional(StringEnum(CATEGORIES)),
          areaId: Type.Optional(AreaId),
          level: Type.Optional(
            StringEnum([...LEVELS, "none"] as const, { description: "none: no data yet" }),
          ),
          text: Type.Optional(Text(100, { description: "part of the code or the name" })),
          order: Type.Optional(
            StringEnum(["code", "level"] as const, { description: "level: alarms first, latest first" }),
          ),
          ...PageQuery,
        }),
        response: { 200: Page(Indicator), ...problems(400, 401, 403) },
      },
      config: { access: readers },
    },
    async (req) =>
      runRead(req, platform, (ctx) =>
        listIndicators(ctx, {
          category: req.query.category,
          areaId: req.query.areaId,
          level: req.query.level,
          text: req.query.text,
          order: req.query.order ?? "code",
          page: req.query.page ?? 1,
          pageSize: req.query.pageSize ?? 20,
        }),
      ),
  );

  app.get(
    `${BASE}/summary`,
    {
      schema: {
        operationId: "getIndicatorSummary",
        tags: ["operations"],
        summary: "Indicators per category × level, and per level overall (for the one screen)",
        querystring: Type.Object({ areaId: Type.Optional(AreaId) }),
        response: {
          200: Type.Object({
            totals: Type.Object(Counts),
            categories: Type.Array(Type.Object({ category: StringEnum(CATEGORIES), ...Counts })),
          }),
          ...problems(400, 401, 403),
        },
      },
      config: { access: readers },
    },
    async (req) => runRead(req, platform, (ctx) => indicatorSummary(ctx, { areaId: req.query.areaId })),
  );

  app.get(
    `${BASE}/:code`,
    {
      schema: {
        operationId: "getIndicator",
        tags: ["operations"],
        summary: "An indicator with its formula and its recent values (oldest first)",
        params: Type.Object({ code: Code }),
        querystring: Type.Object({
          history: Type.Optional(
            Type.Integer({ minimum: 0, maximum: 2000, default: 200, description: "how many recent values" }),
          ),
        }),
        response: { 200: IndicatorDetail, ...problems(400, 401, 403, 404) },
      },
      config: { access: readers },
    },
    async (req) =>
      runRead(req, platform, (ctx) => getIndicator(ctx, req.params.code, req.query.history ?? 200)),
  );

  app.post(
    BASE,
    {
      schema: {
        operationId: "createIndicator",
        tags: ["operations"],
        summary: "Define an indicator (administrators); the formula is checked and evaluated once",
        body: Type.Object(
          {
            code: Code,
            name: Text(100),
            description: Type.Optional(Type.String({ maxLength: 2000 })),
            unit: Type.String({ maxLength: 20 }),
            category: StringEnum(CATEGORIES),
            areaId: AreaId,
            formula: FormulaSchema,
            refreshSeconds: Type.Integer({
              minimum: 0,
              maximum: 86_400,
              description: "evaluated at most once per interval; 0: on every change of what it reads",
            }),
            direction: StringEnum(DIRECTIONS, {
              description: "above: higher is worse; below: lower is worse",
            }),
            thresholds: Type.Object(
              {
                attention: Type.Optional(Threshold),
                warning: Type.Optional(Threshold),
                alarm: Type.Optional(Threshold),
              },
              { additionalProperties: false },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: IndicatorDetail, ...problems(400, 401, 403, 409) },
      },
      config: { access: { roles: ["admin"], scope: "district" } },
    },
    async (req, reply) => {
      let definition: Awaited<ReturnType<typeof createIndicator>>["definition"] | null = null;
      return runWrite(
        req,
        reply,
        platform,
        201,
        async (ctx) => {
          const created = await createIndicator(ctx, req.body);
          definition = created.definition;
          return created.indicator;
        },
        {
          afterCommit: async () => {
            if (!definition) return;
            engine.upsert(definition);
            engine.markEvaluated([definition.code]);
          },
        },
      );
    },
  );

  app.patch(
    `${BASE}/:code/thresholds`,
    {
      schema: {
        operationId: "updateIndicatorThresholds",
        tags: ["operations"],
        summary:
          "Change an indicator's thresholds or direction (null clears a threshold); the level follows at once",
        params: Type.Object({ code: Code }),
        body: Type.Object(
          {
            direction: Type.Optional(StringEnum(DIRECTIONS)),
            attention: Type.Optional(Threshold),
            warning: Type.Optional(Threshold),
            alarm: Type.Optional(Threshold),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Indicator, ...problems(400, 401, 403, 404) },
      },
      config: { access: { roles: ["dispatcher", "admin"], scope: "district" } },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, (ctx) => updateIndicatorThresholds(ctx, req.params.code, req.body)),
  );
}
