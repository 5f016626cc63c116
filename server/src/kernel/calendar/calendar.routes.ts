import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { type Static, Type } from "typebox";
import { appendAudit } from "../audit/audit";
import { publishEvent } from "../events/events";
import { AppError, defineErrors } from "../http/errors";
import { problems } from "../http/schemas";
import { runWrite } from "../http/write";
import type { Platform } from "../platform";
import type { YearSchedule } from "./calendar.service";

const CalendarErrors = defineErrors({
  CALENDAR_YEAR_NOT_FOUND: { status: 404, title: "No schedule is loaded for this year" },
  CALENDAR_ENTRY_INVALID: { status: 422, title: "A calendar entry does not fit its year" },
});

const DateString = Type.String({ format: "date", description: "YYYY-MM-DD (Asia/Shanghai calendar date)" });
const Entry = Type.Object(
  {
    date: DateString,
    kind: Type.Union([Type.Literal("holiday"), Type.Literal("workday")]),
    name: Type.String({ minLength: 1, maxLength: 50 }),
  },
  { additionalProperties: false },
);
const Status = Type.Union([Type.Literal("official"), Type.Literal("provisional")]);
const Schedule = Type.Object({
  year: Type.Integer(),
  status: Status,
  source: Type.Union([Type.String(), Type.Null()]),
  items: Type.Array(Entry),
});
const Year = Type.Integer({ minimum: 2000, maximum: 2100 });

export function registerCalendarRoutes(root: FastifyInstance, platform: Platform): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const service = platform.calendar;

  app.get(
    "/api/calendar/holidays",
    {
      schema: {
        operationId: "getHolidaySchedule",
        tags: ["calendar"],
        summary: "Public holidays and make-up working days (调休) of a year",
        querystring: Type.Object({ year: Year }, { additionalProperties: false }),
        response: { 200: Schedule, ...problems(400, 404) },
      },
      config: { access: { public: true } },
    },
    async (req) => {
      const schedule = await service.year(req.query.year);
      if (!schedule) throw new AppError(CalendarErrors.CALENDAR_YEAR_NOT_FOUND);
      return schedule;
    },
  );

  app.get(
    "/api/calendar/working-days",
    {
      schema: {
        operationId: "countWorkingDays",
        tags: ["calendar"],
        summary:
          "Working days after `from` up to and including `to`, or the date `days` working days after `from`",
        querystring: Type.Object(
          {
            from: DateString,
            to: Type.Optional(DateString),
            days: Type.Optional(Type.Integer({ minimum: -3650, maximum: 3650 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ from: Type.String(), to: Type.String(), workingDays: Type.Integer() }),
          ...problems(400),
        },
      },
      config: { access: { public: true } },
    },
    async (req) => {
      const { from, to, days } = req.query;
      if ((to === undefined) === (days === undefined)) {
        throw new AppError("VALIDATION_FAILED", {
          errors: [{ field: "/query/to", message: "give exactly one of `to` and `days`" }],
        });
      }
      const calendar = service.current;
      if (to !== undefined) return { from, to, workingDays: calendar.workingDaysBetween(from, to) };
      return { from, to: calendar.addWorkingDays(from, days!), workingDays: days! };
    },
  );

  app.put(
    "/api/admin/calendar/:year",
    {
      schema: {
        operationId: "replaceHolidaySchedule",
        tags: ["calendar", "admin"],
        summary: "Replace a year's holiday schedule (e.g. when the State Council publishes it)",
        params: Type.Object({ year: Year }),
        body: Type.Object(
          {
            status: Status,
            source: Type.Optional(Type.String({ maxLength: 500 })),
            items: Type.Array(Entry, { maxItems: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Schedule, ...problems(400, 401, 403, 422) },
      },
      config: { access: { roles: ["admin"], scope: "district" } },
    },
    async (req, reply) => {
      const { year } = req.params;
      const bad = req.body.items.findIndex((i) => !i.date.startsWith(`${year}-`));
      if (bad >= 0) {
        throw new AppError(CalendarErrors.CALENDAR_ENTRY_INVALID, {
          errors: [{ field: `/body/items/${bad}/date`, message: `must be a date in ${year}` }],
        });
      }
      const seen = new Set<string>();
      req.body.items.forEach((item, i) => {
        if (seen.has(item.date)) {
          throw new AppError(CalendarErrors.CALENDAR_ENTRY_INVALID, {
            errors: [{ field: `/body/items/${i}/date`, message: "appears twice" }],
          });
        }
        seen.add(item.date);
      });
      const schedule: YearSchedule = {
        year,
        status: req.body.status,
        source: req.body.source ?? null,
        items: req.body.items,
      };
      return runWrite(
        req,
        reply,
        platform,
        200,
        async (ctx) => {
          await service.replaceYear(ctx.tx, schedule);
          await appendAudit(ctx.tx, ctx, {
            action: "calendar.schedule.replaced",
            resourceType: "calendar_year",
            resourceId: String(year),
            details: { status: schedule.status, entries: schedule.items.length },
          });
          await publishEvent(ctx.tx, "calendar.schedule.replaced", { year, status: schedule.status });
          return schedule;
        },
        { afterCommit: () => service.reload() },
      );
    },
  );
}

export type ScheduleBody = Static<typeof Schedule>;
