import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { problems, StringEnum, Text } from "../../../kernel/http/schemas";
import { runRead, runWrite } from "../../../kernel/http/write";
import type { Platform } from "../../../kernel/platform";
import { listMyReports, REPORT_CATEGORIES, type ReportCategory, reportCityProblem } from "./reports.service";

const Report = Type.Object({ id: Type.String(), status: Type.String() }, { additionalProperties: true });
const CITIZENS = { roles: ["citizen", "enterprise"] as const, scope: "own" as const };

export function registerReportRoutes(root: FastifyInstance, platform: Platform): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    "/api/services/reports",
    {
      // A photo travels as base64 in the JSON body (2 MB of photo is about 2.7 MB of text).
      bodyLimit: 3 * 1024 * 1024,
      schema: {
        operationId: "reportCityProblem",
        tags: ["services"],
        summary:
          "随手拍: report a problem in the city (photo, place, category); it becomes an operations case",
        body: Type.Object(
          {
            category: StringEnum(Object.keys(REPORT_CATEGORIES) as ReportCategory[]),
            description: Text(1000),
            address: Type.Optional(Text(300)),
            location: Type.Optional(
              Type.Object(
                {
                  lng: Type.Number({ minimum: 73, maximum: 136 }),
                  lat: Type.Number({ minimum: 3, maximum: 54 }),
                },
                { additionalProperties: false },
              ),
            ),
            photo: Type.Optional(Type.String({ maxLength: 2_900_000, pattern: "^[A-Za-z0-9+/=\\s]*$" })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Report, ...problems(400, 401, 403) },
      },
      config: { access: CITIZENS },
    },
    async (req, reply) => runWrite(req, reply, platform, 201, (ctx) => reportCityProblem(ctx, req.body)),
  );
  app.get(
    "/api/services/reports",
    {
      schema: {
        operationId: "listMyReports",
        tags: ["services"],
        summary: "My reports of problems in the city",
        response: { 200: Type.Array(Report), ...problems(401, 403) },
      },
      config: { access: CITIZENS },
    },
    async (req) => runRead(req, platform, (ctx) => listMyReports(ctx)),
  );
}
