import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { problems } from "../../../kernel/http/schemas";
import { runRead } from "../../../kernel/http/write";
import type { Platform } from "../../../kernel/platform";
import type { ServicesDeps } from "../applications/applications.service";
import { evaluationStats } from "../evaluation/evaluation.service";
import { serviceMetrics, supervisionBoard } from "./supervision.service";

const SUPERVISORS = {
  roles: ["leader", "admin", "databureau", "clerk", "approver"] as const,
  scope: "subtree" as const,
};
const Any = Type.Object({}, { additionalProperties: true });

export function registerSupervisionRoutes(
  root: FastifyInstance,
  platform: Platform,
  deps: ServicesDeps,
): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    "/api/services/supervision",
    {
      schema: {
        operationId: "getServiceSupervisionBoard",
        tags: ["services"],
        summary: "电子监察: open applications by warning colour and on-time rates per department and item",
        response: { 200: Any, ...problems(401, 403) },
      },
      config: { access: SUPERVISORS },
    },
    async (req) => runRead(req, platform, (ctx) => supervisionBoard(ctx, deps)),
  );
  app.get(
    "/api/services/metrics",
    {
      schema: {
        operationId: "getServiceMetrics",
        tags: ["services"],
        summary: "四少一快: fields pre-filled vs typed, materials reused vs uploaded, visits, working days",
        response: { 200: Any, ...problems(401, 403) },
      },
      config: { access: SUPERVISORS },
    },
    async (req) => runRead(req, platform, (ctx) => serviceMetrics(ctx)),
  );
  app.get(
    "/api/services/evaluations/stats",
    {
      schema: {
        operationId: "getEvaluationStats",
        tags: ["services"],
        summary: "好差评 per item, department and window (raters are never named)",
        response: { 200: Any, ...problems(401, 403) },
      },
      config: { access: SUPERVISORS },
    },
    async (req) => runRead(req, platform, (ctx) => evaluationStats(ctx)),
  );
}
