import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { STAFF_ROLES } from "../../../kernel/access/roles";
import type { Ctx } from "../../../kernel/http/context";
import { PageQuery, problems, StringEnum, Text, Uuid } from "../../../kernel/http/schemas";
import { runRead, runWrite } from "../../../kernel/http/write";
import type { Platform } from "../../../kernel/platform";
import { rateApplication } from "../evaluation/evaluation.service";
import { APPLICATION_STATUSES, type ApplicationRow } from "./applications.queries";
import {
  actorOf,
  applicationSummary,
  applicationView,
  createApplication,
  listMyApplications,
  prefillServiceForm,
  readApplication,
  type ServicesDeps,
  serviceForm,
  submitApplication,
  trackApplication,
  updateApplication,
  withdrawApplication,
} from "./applications.service";
import {
  acceptApplication,
  decideApplication,
  deliverResult,
  finishSpecialStep,
  listDeskApplications,
  rejectApplication,
  requestCorrection,
  startSpecialStep,
} from "./handling.service";
import {
  deleteMaterial,
  type MaterialScanner,
  materialContent,
  screenMaterial,
  uploadMaterial,
} from "./materials.service";

const View = Type.Object(
  { id: Uuid, receiptNo: Type.String(), status: Type.String(), actions: Type.Array(Type.String()) },
  { additionalProperties: true },
);
const Summary = Type.Object(
  { id: Uuid, receiptNo: Type.String(), status: Type.String() },
  { additionalProperties: true },
);
const Listing = Type.Object({ total: Type.Integer(), items: Type.Array(Summary) });
const APPLICANTS = { roles: ["citizen", "enterprise", "clerk"] as const, scope: "own" as const };
const ANYONE_INVOLVED = { roles: "authenticated" as const };
const CLERKS = { roles: ["clerk"] as const, scope: "district" as const };
const REVIEWERS = { roles: ["approver", "leader", "admin"] as const, scope: "department" as const };
const FormData = Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { maxProperties: 200 });

export function registerApplicationRoutes(
  root: FastifyInstance,
  platform: Platform,
  deps: ServicesDeps,
  scanner: MaterialScanner,
): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const view = async (ctx: Ctx, row: ApplicationRow) => applicationView(ctx, deps, row);
  const page = (ctx: Ctx, result: { rows: ApplicationRow[]; total: number }) => ({
    total: result.total,
    items: result.rows.map((r) => applicationSummary(deps, actorOf(ctx), r, ctx.clock.now())),
  });

  app.get(
    "/api/services/:id/form",
    {
      schema: {
        operationId: "getServiceForm",
        tags: ["services"],
        summary:
          "The item's form: JSON Schema and UI hints of the published version (or of a version published once)",
        params: Type.Object({ id: Uuid }),
        querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: {
          200: Type.Object({
            version: Type.Integer(),
            schema: Type.Record(Type.String(), Type.Unknown()),
            uiSchema: Type.Record(Type.String(), Type.Unknown()),
          }),
          ...problems(400, 404, 409),
        },
      },
      config: { access: { public: true } },
    },
    async (req) => runRead(req, platform, (ctx) => serviceForm(ctx, req.params.id, req.query.version)),
  );

  app.get(
    "/api/services/:id/prefill",
    {
      schema: {
        operationId: "prefillServiceForm",
        tags: ["services"],
        summary:
          "The form's values from the population or legal-person base, with the department of each (audited, with consent receipt)",
        params: Type.Object({ id: Uuid }),
        querystring: Type.Object({ subject: Type.Optional(Type.String({ minLength: 15, maxLength: 18 })) }),
        response: {
          200: Type.Object(
            {
              values: Type.Record(Type.String(), Type.Unknown()),
              sources: Type.Record(
                Type.String(),
                Type.Object({ departmentName: Type.String(), at: Type.Union([Type.String(), Type.Null()]) }),
              ),
              readOnly: Type.Array(Type.String()),
            },
            { additionalProperties: true },
          ),
          ...problems(400, 401, 403, 404, 422),
        },
      },
      config: { access: APPLICANTS },
    },
    async (req) => runRead(req, platform, (ctx) => prefillServiceForm(ctx, req.params.id, req.query.subject)),
  );

  app.post(
    "/api/services/applications",
    {
      schema: {
        operationId: "createApplication",
        tags: ["services"],
        summary: "Start an application as a draft (a window clerk names the walk-in applicant as subject)",
        body: Type.Object(
          {
            serviceId: Uuid,
            data: FormData,
            channel: Type.Optional(StringEnum(["web", "mobile", "kiosk"] as const)),
            subject: Type.Optional(
              Type.String({ minLength: 15, maxLength: 18, description: "ID number or USCC" }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: View, ...problems(400, 401, 403, 404, 409, 422) },
      },
      config: { access: APPLICANTS },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 201, async (ctx) =>
        view(ctx, await createApplication(ctx, deps, req.body)),
      ),
  );

  app.patch(
    "/api/services/applications/:id",
    {
      schema: {
        operationId: "updateApplication",
        tags: ["services"],
        summary: "Change the form of a draft, or of an application sent back for correction",
        params: Type.Object({ id: Uuid }),
        body: Type.Object({ data: FormData }, { additionalProperties: false }),
        response: { 200: View, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: APPLICANTS },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, async (ctx) =>
        view(ctx, await updateApplication(ctx, req.params.id, req.body.data)),
      ),
  );

  app.post(
    "/api/services/applications/:id/submit",
    {
      schema: {
        operationId: "submitApplication",
        tags: ["services"],
        summary:
          "Submit (or resubmit after a correction): the form is validated, mandatory materials checked, the process started",
        params: Type.Object({ id: Uuid }),
        response: { 200: View, ...problems(400, 401, 403, 404, 409, 422) },
      },
      config: { access: APPLICANTS },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, async (ctx) =>
        view(ctx, await submitApplication(ctx, deps, req.params.id)),
      ),
  );

  app.post(
    "/api/services/applications/:id/withdraw",
    {
      schema: {
        operationId: "withdrawApplication",
        tags: ["services"],
        summary: "Withdraw an application before it is decided",
        params: Type.Object({ id: Uuid }),
        body: Type.Optional(
          Type.Object({ reason: Type.Optional(Text(1000)) }, { additionalProperties: false }),
        ),
        response: { 200: View, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: APPLICANTS },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, async (ctx) =>
        view(ctx, await withdrawApplication(ctx, deps.engine, req.params.id, req.body?.reason ?? "")),
      ),
  );

  app.get(
    "/api/services/applications/:id",
    {
      schema: {
        operationId: "getApplication",
        tags: ["services"],
        summary: "An application with its materials, history, clock and the actions open to me",
        params: Type.Object({ id: Uuid }),
        response: { 200: View, ...problems(400, 401, 404) },
      },
      config: { access: ANYONE_INVOLVED },
    },
    async (req) => runRead(req, platform, (ctx) => readApplication(ctx, deps, req.params.id)),
  );

  app.get(
    "/api/services/applications",
    {
      schema: {
        operationId: "listMyApplications",
        tags: ["services"],
        summary: "My applications (我的办件), newest first",
        querystring: Type.Object({ status: Type.Optional(StringEnum(APPLICATION_STATUSES)), ...PageQuery }),
        response: { 200: Listing, ...problems(400, 401, 403) },
      },
      config: { access: { roles: ["citizen", "enterprise"] as const, scope: "own" as const } },
    },
    async (req) =>
      runRead(req, platform, async (ctx) =>
        page(
          ctx,
          await listMyApplications(ctx, {
            status: req.query.status,
            page: req.query.page ?? 1,
            pageSize: req.query.pageSize ?? 20,
          }),
        ),
      ),
  );

  app.get(
    "/api/services/desk",
    {
      schema: {
        operationId: "listDeskApplications",
        tags: ["services"],
        summary: "The workbench: awaiting acceptance (any window), review (my department) or delivery",
        querystring: Type.Object({
          box: Type.Optional(StringEnum(["accept", "review", "deliver", "all"] as const)),
          q: Type.Optional(Type.String({ maxLength: 100 })),
          level: Type.Optional(StringEnum(["yellow", "red"] as const)),
          ...PageQuery,
        }),
        response: { 200: Listing, ...problems(400, 401, 403) },
      },
      config: { access: { roles: STAFF_ROLES, scope: "department" as const } },
    },
    async (req) =>
      runRead(req, platform, async (ctx) =>
        page(
          ctx,
          await listDeskApplications(ctx, {
            box: req.query.box ?? "accept",
            q: req.query.q,
            level: req.query.level,
            page: req.query.page ?? 1,
            pageSize: req.query.pageSize ?? 20,
          }),
        ),
      ),
  );

  const step = <B extends Record<string, unknown>>(
    path: string,
    operationId: string,
    summary: string,
    access: typeof CLERKS | typeof REVIEWERS,
    body: ReturnType<typeof Type.Object> | null,
    action: (ctx: Ctx, id: string, body: B) => Promise<ApplicationRow>,
  ) =>
    app.post(
      `/api/services/applications/:id/${path}`,
      {
        schema: {
          operationId,
          tags: ["services"],
          summary,
          params: Type.Object({ id: Uuid }),
          ...(body ? { body } : {}),
          response: { 200: View, ...problems(400, 401, 403, 404, 409) },
        },
        config: { access },
      },
      async (req, reply) =>
        runWrite(req, reply, platform, 200, async (ctx) =>
          view(ctx, await action(ctx, (req.params as { id: string }).id, (req.body ?? {}) as B)),
        ),
    );

  step<{ opinion?: string }>(
    "accept",
    "acceptApplication",
    "受理: the window accepts the application (即办件 are decided on the spot)",
    CLERKS,
    Type.Object(
      { opinion: Type.Optional(Type.String({ maxLength: 2000 })) },
      { additionalProperties: false },
    ),
    (ctx, id, body) => acceptApplication(ctx, deps, id, body.opinion),
  );
  step<{ reason: string }>(
    "reject",
    "rejectApplication",
    "不予受理, with the reason",
    CLERKS,
    Type.Object({ reason: Text(2000) }, { additionalProperties: false }),
    (ctx, id, body) => rejectApplication(ctx, deps, id, body.reason),
  );
  step<{ reason: string; items: { field?: string; material?: string; note: string }[] }>(
    "request-correction",
    "requestCorrection",
    "补正: list what to fix; the clock stands still until the applicant resubmits",
    CLERKS,
    Type.Object(
      {
        reason: Text(2000),
        items: Type.Array(
          Type.Object(
            {
              field: Type.Optional(Type.String({ maxLength: 100 })),
              material: Type.Optional(Type.String({ maxLength: 64 })),
              note: Text(500),
            },
            { additionalProperties: false },
          ),
          { minItems: 1, maxItems: 50 },
        ),
      },
      { additionalProperties: false },
    ),
    (ctx, id, body) => requestCorrection(ctx, deps, id, body),
  );
  step<{ approved: boolean; opinion: string }>(
    "decide",
    "decideApplication",
    "审查与决定 by the implementing department",
    REVIEWERS,
    Type.Object({ approved: Type.Boolean(), opinion: Text(2000) }, { additionalProperties: false }),
    (ctx, id, body) => decideApplication(ctx, deps, id, body),
  );
  step<{ kind: string; reason: string }>(
    "special-steps",
    "startSpecialStep",
    "特殊环节 (site inspection, testing, expert review, hearing …): the clock stands still",
    REVIEWERS,
    Type.Object(
      {
        kind: StringEnum([
          "site-inspection",
          "testing",
          "expert-review",
          "hearing",
          "public-notice",
          "quarantine",
        ] as const),
        reason: Text(1000),
      },
      { additionalProperties: false },
    ),
    (ctx, id, body) => startSpecialStep(ctx, id, body),
  );
  step<{ method: "online" | "window" | "courier"; note?: string }>(
    "deliver",
    "deliverResult",
    "送达: the result reaches the applicant online, at the window or by courier",
    CLERKS,
    Type.Object(
      {
        method: StringEnum(["online", "window", "courier"] as const),
        note: Type.Optional(Type.String({ maxLength: 1000 })),
      },
      { additionalProperties: false },
    ),
    (ctx, id, body) => deliverResult(ctx, deps, id, body),
  );

  app.post(
    "/api/services/applications/:id/special-steps/:stepId/finish",
    {
      schema: {
        operationId: "finishSpecialStep",
        tags: ["services"],
        summary: "End a special step with its result: the clock runs again",
        params: Type.Object({ id: Uuid, stepId: Uuid }),
        body: Type.Object({ result: Text(2000) }, { additionalProperties: false }),
        response: { 200: View, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: REVIEWERS },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, async (ctx) =>
        view(ctx, await finishSpecialStep(ctx, deps, req.params.id, req.params.stepId, req.body.result)),
      ),
  );

  app.post(
    "/api/services/applications/:id/evaluation",
    {
      schema: {
        operationId: "rateApplication",
        tags: ["services"],
        summary:
          "好差评: rate a decided application 1–5 on the national indicators; 2 or less opens a rectification",
        params: Type.Object({ id: Uuid }),
        body: Type.Object(
          {
            rating: Type.Integer({ minimum: 1, maximum: 5 }),
            indicators: Type.Record(
              Type.String({ maxLength: 32 }),
              Type.Integer({ minimum: 1, maximum: 5 }),
              { maxProperties: 10 },
            ),
            comment: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: View, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: { roles: ["citizen", "enterprise"] as const, scope: "own" as const } },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, async (ctx) =>
        view(ctx, await rateApplication(ctx, deps, req.params.id, req.body)),
      ),
  );

  app.get(
    "/api/services/track/:receiptNo",
    {
      schema: {
        operationId: "trackApplication",
        tags: ["services"],
        summary:
          "Follow an application by its receipt number and tracking code (the receipt's QR code); no personal data",
        params: Type.Object({ receiptNo: Type.String({ pattern: "^\\d{20}$" }) }),
        querystring: Type.Object({ code: Type.String({ pattern: "^[0-9A-Za-z]{8}$" }) }),
        response: {
          200: Type.Object(
            { receiptNo: Type.String(), status: Type.String() },
            { additionalProperties: true },
          ),
          ...problems(400, 404),
        },
      },
      config: { access: { public: true }, rateLimit: { max: 30, timeWindow: 60_000 } },
    },
    async (req) =>
      runRead(req, platform, (ctx) => trackApplication(ctx, req.params.receiptNo, req.query.code)),
  );

  app.get(
    "/api/services/applications/:id/materials/:materialId/content",
    {
      schema: {
        operationId: "getMaterialContent",
        tags: ["services"],
        summary: "A material's file (audited)",
        params: Type.Object({ id: Uuid, materialId: Uuid }),
        response: { 200: Type.Unknown(), ...problems(400, 401, 404) },
      },
      config: { access: ANYONE_INVOLVED },
    },
    async (req, reply) => {
      const file = await runRead(req, platform, (ctx) =>
        materialContent(ctx, req.params.id, req.params.materialId),
      );
      return reply
        .type(file.mime)
        .header("content-disposition", `inline; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .header("cache-control", "private, no-store")
        .header("x-content-type-options", "nosniff")
        .send(file.content);
    },
  );

  app.delete(
    "/api/services/applications/:id/materials/:materialId",
    {
      schema: {
        operationId: "deleteMaterial",
        tags: ["services"],
        summary: "Remove a material while the application can still be changed",
        params: Type.Object({ id: Uuid, materialId: Uuid }),
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: APPLICANTS },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 204, async (ctx) => {
        await deleteMaterial(ctx, req.params.id, req.params.materialId);
        return null;
      }),
  );

  app.register(async (binary) => {
    binary.addContentTypeParser(
      "*",
      { parseAs: "buffer", bodyLimit: deps.maxMaterialBytes + 1 },
      (_req, data, done) => done(null, data),
    );
    binary.withTypeProvider<TypeBoxTypeProvider>().post(
      "/api/services/applications/:id/materials",
      {
        schema: {
          operationId: "uploadMaterial",
          tags: ["services"],
          summary:
            "Upload a material's file (the body; PDF, JPEG or PNG); type checked by content, virus-scanned, hashed",
          params: Type.Object({ id: Uuid }),
          querystring: Type.Object({
            code: Type.String({ pattern: "^[a-z0-9][a-z0-9-]{0,63}$" }),
            fileName: Text(200),
          }),
          response: {
            201: Type.Object(
              { id: Uuid, code: Type.String(), sha256: Type.String(), size: Type.Integer() },
              { additionalProperties: true },
            ),
            ...problems(400, 401, 403, 404, 409, 413, 422),
          },
        },
        config: { access: APPLICANTS },
      },
      async (req, reply) => {
        const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const declaredType = (req.headers["content-type"] ?? "application/octet-stream")
          .split(";")[0]!
          .trim()
          .toLowerCase();
        await screenMaterial(
          platform.db,
          { actor: req.actor, requestId: req.id, ip: req.ip, clock: platform.clock },
          scanner,
          req.params.id,
          req.query.code,
          content,
        );
        return runWrite(req, reply, platform, 201, (ctx) =>
          uploadMaterial(ctx, deps, req.params.id, {
            code: req.query.code,
            fileName: req.query.fileName,
            declaredType,
            content,
          }),
        );
      },
    );
  });
}
