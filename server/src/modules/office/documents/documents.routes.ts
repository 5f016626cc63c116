import { createHash } from "node:crypto";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { PageQuery, problems, StringEnum, Text, Uuid } from "../../../kernel/http/schemas";
import { runRead, runWrite } from "../../../kernel/http/write";
import type { Platform } from "../../../kernel/platform";
import {
  assignDocumentNumber,
  createDocument,
  type DistributionNotifier,
  DOCUMENT_ROLES,
  distributeDocument,
  documentFile,
  documentPdf,
  documentStats,
  getDocument,
  listDocuments,
  listRevisions,
  listSealKeepers,
  setSealKeepers,
  submitDocument,
  updateDocument,
  uploadAttachment,
} from "./documents.service";
import { CLASSIFICATIONS, DOC_TYPES, URGENCIES } from "./elements";
import type { DocumentRenderer } from "./sealing";

export const ATTACHMENT_LIMIT = 20 * 1024 * 1024;

const IsoDate = Type.String({ format: "date", description: "yyyy-mm-dd" });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Recipient = Type.Object(
  { departmentId: Uuid, role: StringEnum(["main", "cc"] as const) },
  { additionalProperties: false },
);
const elementProps = {
  title: Text(200, { description: "标题" }),
  docType: StringEnum(DOC_TYPES, { description: "文种" }),
  body: Type.String({ minLength: 1, maxLength: 100_000, description: "正文; paragraphs separated by \\n" }),
  urgency: StringEnum(URGENCIES, { description: "紧急程度: normal, urgent (加急), extra_urgent (特急)" }),
  classification: StringEnum(CLASSIFICATIONS, {
    description: "密级: none, secret, confidential, top_secret",
  }),
  secrecyPeriod: Nullable(Text(20, { description: "保密期限, e.g. 5年" })),
  copyNo: Nullable(Type.String({ pattern: "^[0-9]{6}$", description: "份号, six digits" })),
  organMark: Text(40, { description: "发文机关标志" }),
  mainRecipients: Type.Array(Text(60), { maxItems: 100, description: "主送机关" }),
  attachmentNotes: Type.Array(Text(200), { maxItems: 50, description: "附件说明" }),
  signatureOrg: Text(60, { description: "发文机关署名" }),
  writtenDate: Nullable(IsoDate),
  note: Nullable(Text(500, { description: "附注" })),
  ccRecipients: Type.Array(Text(60), { maxItems: 100, description: "抄送机关" }),
  printingOrg: Nullable(Text(60, { description: "印发机关" })),
  printingDate: Nullable(IsoDate),
  recipients: Type.Array(Recipient, { maxItems: 200, description: "departments 分发 sends it to" }),
  countersignDepartmentIds: Type.Array(Uuid, {
    maxItems: 30,
    uniqueItems: true,
    description: "会签 departments",
  }),
};
const { title, docType, body, ...optional } = elementProps;
const CreateBody = Type.Object(
  {
    title,
    docType,
    body,
    ...Object.fromEntries(Object.entries(optional).map(([k, v]) => [k, Type.Optional(v)])),
  } as typeof elementProps,
  { additionalProperties: false },
);
const UpdateBody = Type.Object(
  {
    ...Object.fromEntries(Object.entries(elementProps).map(([k, v]) => [k, Type.Optional(v)])),
    revision: Type.Optional(Type.Integer({ minimum: 1, description: "the revision the edit is based on" })),
    comment: Type.Optional(Text(500, { description: "修改说明" })),
  },
  { additionalProperties: false },
);
const Document = Type.Object(
  { id: Uuid, status: Type.String(), number: Nullable(Type.String()) },
  { additionalProperties: true },
);
const IdParams = Type.Object({ id: Uuid });
const staff = { roles: DOCUMENT_ROLES, scope: "department" as const };

export function registerDocumentRoutes(
  root: FastifyInstance,
  platform: Platform,
  deps: { notify: DistributionNotifier; render: DocumentRenderer },
): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const engine = platform.workflow;
  const wake = async () => platform.jobs.wake();

  app.post(
    "/api/office/documents",
    {
      schema: {
        operationId: "createDocument",
        tags: ["office"],
        summary: "Draft an official document (拟稿)",
        body: CreateBody,
        response: { 201: Document, ...problems(400, 401, 403, 409) },
      },
      config: { access: staff },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 201, async (ctx) => {
        const row = await createDocument(ctx, req.body as Parameters<typeof createDocument>[1]);
        return getDocument(ctx, engine, row.id);
      }),
  );

  app.get(
    "/api/office/documents",
    {
      schema: {
        operationId: "listDocuments",
        tags: ["office"],
        summary: "Documents of my department (outgoing and incoming), newest change first",
        querystring: Type.Object({
          direction: Type.Optional(StringEnum(["outgoing", "incoming"] as const)),
          status: Type.Optional(Type.String({ pattern: "^[a-z_]{1,20}$" })),
          q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          unread: Type.Optional(Type.Boolean({ description: "only documents I have not opened yet (待阅)" })),
          ...PageQuery,
        }),
        response: {
          200: Type.Object({
            items: Type.Array(Document),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          ...problems(400, 401, 403),
        },
      },
      config: { access: staff },
    },
    async (req) =>
      runRead(req, platform, (ctx) =>
        listDocuments(ctx, { ...req.query, page: req.query.page ?? 1, pageSize: req.query.pageSize ?? 20 }),
      ),
  );

  app.get(
    "/api/office/documents/stats",
    {
      schema: {
        operationId: "getDocumentStats",
        tags: ["office"],
        summary: "How many documents I see, by direction and status",
        response: {
          200: Type.Array(
            Type.Object({ direction: Type.String(), status: Type.String(), count: Type.Integer() }),
          ),
          ...problems(401, 403),
        },
      },
      config: { access: staff },
    },
    async (req) => runRead(req, platform, (ctx) => documentStats(ctx)),
  );

  app.get(
    "/api/office/documents/:id",
    {
      schema: {
        operationId: "getDocument",
        tags: ["office"],
        summary: "A document with its steps, files and distribution; records that I read it",
        params: IdParams,
        response: { 200: Document, ...problems(400, 401, 403, 404) },
      },
      config: { access: staff },
    },
    async (req) => runRead(req, platform, (ctx) => getDocument(ctx, engine, req.params.id)),
  );

  app.patch(
    "/api/office/documents/:id",
    {
      schema: {
        operationId: "updateDocument",
        tags: ["office"],
        summary: "Edit a document while drafting or at 核稿/修改 (each change kept as a revision)",
        params: IdParams,
        body: UpdateBody,
        response: { 200: Document, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: staff },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, (ctx) =>
        updateDocument(ctx, engine, req.params.id, req.body as Parameters<typeof updateDocument>[3]),
      ),
  );

  app.get(
    "/api/office/documents/:id/revisions",
    {
      schema: {
        operationId: "listDocumentRevisions",
        tags: ["office"],
        summary: "Who changed what: every revision with the body's track changes",
        params: IdParams,
        response: {
          200: Type.Array(
            Type.Object({
              revision: Type.Integer(),
              changedById: Nullable(Type.String()),
              changedByName: Type.String(),
              changedAt: Type.String(),
              changes: Type.Unknown(),
              bodyDiff: Type.Unknown(),
              comment: Nullable(Type.String()),
            }),
          ),
          ...problems(400, 401, 403, 404),
        },
      },
      config: { access: staff },
    },
    async (req) => runRead(req, platform, (ctx) => listRevisions(ctx, req.params.id)),
  );

  app.post(
    "/api/office/documents/:id/submit",
    {
      schema: {
        operationId: "submitDocument",
        tags: ["office"],
        summary: "送审: start the 发文 process (核稿 → 会签 → 签发 → 编号 → 用印 → 分发)",
        params: IdParams,
        body: Type.Optional(
          Type.Object(
            {
              reviewer: Type.Optional(
                Text(100, { description: "username of the 核稿 reviewer (else the department's approvers)" }),
              ),
              signer: Type.Optional(
                Text(100, { description: "username of the 签发 leader (else the department's leaders)" }),
              ),
            },
            { additionalProperties: false },
          ),
        ),
        response: { 200: Document, ...problems(400, 401, 403, 404, 409, 422) },
      },
      config: { access: staff },
    },
    async (req, reply) =>
      runWrite(
        req,
        reply,
        platform,
        200,
        (ctx) => submitDocument(ctx, engine, req.params.id, req.body ?? {}),
        {
          afterCommit: wake,
        },
      ),
  );

  app.post(
    "/api/office/documents/:id/number",
    {
      schema: {
        operationId: "assignDocumentNumber",
        tags: ["office"],
        summary: "编号: assign the next 发文字号 of the issuing organ and year (gap-free, once)",
        params: IdParams,
        response: { 200: Document, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: staff },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, (ctx) => assignDocumentNumber(ctx, engine, req.params.id)),
  );

  app.post(
    "/api/office/documents/:id/distribute",
    {
      schema: {
        operationId: "distributeDocument",
        tags: ["office"],
        summary: "分发: send a numbered document to departments' incoming queues (收文)",
        params: IdParams,
        body: Type.Optional(
          Type.Object(
            { recipients: Type.Optional(Type.Array(Recipient, { minItems: 1, maxItems: 200 })) },
            { additionalProperties: false },
          ),
        ),
        response: { 200: Document, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: staff },
    },
    async (req, reply) =>
      runWrite(
        req,
        reply,
        platform,
        200,
        (ctx) => distributeDocument(ctx, engine, deps.notify, req.params.id, req.body?.recipients),
        { afterCommit: wake },
      ),
  );

  app.get(
    "/api/office/documents/:id/pdf",
    {
      schema: {
        operationId: "renderDocumentPdf",
        tags: ["office"],
        summary:
          "The document as a GB/T 9704 PDF: the sealed, signed file once 用印 is done, else a draft rendering",
        params: IdParams,
        produces: ["application/pdf"],
        response: { 200: Type.Unknown(), ...problems(400, 401, 403, 404) },
      },
      config: { access: staff },
    },
    async (req, reply) => {
      const { row, sealed } = await runRead(req, platform, (ctx) => documentPdf(ctx, req.params.id));
      const pdf = sealed?.content ?? Buffer.from(await deps.render(row));
      const name = encodeURIComponent(`${row.number ?? row.title}.pdf`);
      return reply
        .type("application/pdf")
        .header("content-disposition", `inline; filename*=UTF-8''${name}`)
        .header("x-document-sealed", sealed ? "true" : "false")
        .header("cache-control", "private, no-store")
        .send(pdf);
    },
  );

  app.register(async (binary) => {
    binary.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: ATTACHMENT_LIMIT }, (_req, data, done) =>
      done(null, data),
    );
    binary.withTypeProvider<TypeBoxTypeProvider>().post(
      "/api/office/documents/:id/attachments",
      {
        schema: {
          operationId: "uploadDocumentAttachment",
          tags: ["office"],
          summary: "Attach a file (附件) to a document that can still be edited; the body is the file",
          params: IdParams,
          querystring: Type.Object({ name: Text(200, { description: "file name" }) }),
          response: {
            201: Type.Object({ id: Uuid, name: Type.String(), size: Type.Integer(), sha256: Type.String() }),
            ...problems(400, 401, 403, 404, 409, 413),
          },
        },
        config: { access: staff },
      },
      async (req, reply) => {
        const content = req.body as Buffer;
        const mediaType = (req.headers["content-type"] ?? "application/octet-stream").split(";")[0]!.trim();
        return runWrite(req, reply, platform, 201, (ctx) =>
          uploadAttachment(ctx, engine, req.params.id, {
            name: req.query.name,
            mediaType,
            content: Buffer.isBuffer(content) ? content : Buffer.alloc(0),
            sha256: createHash("sha256")
              .update(Buffer.isBuffer(content) ? content : Buffer.alloc(0))
              .digest("hex"),
          }),
        );
      },
    );
  });

  app.get(
    "/api/office/documents/:id/files/:fileId",
    {
      schema: {
        operationId: "getDocumentFile",
        tags: ["office"],
        summary: "Download an attachment or the sealed PDF",
        params: Type.Object({ id: Uuid, fileId: Uuid }),
        response: { 200: Type.Unknown(), ...problems(400, 401, 403, 404) },
      },
      config: { access: staff },
    },
    async (req, reply) => {
      const file = await runRead(req, platform, (ctx) => documentFile(ctx, req.params.id, req.params.fileId));
      return reply
        .type(file.mediaType)
        .header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
        .header("cache-control", "private, no-store")
        .send(file.content);
    },
  );

  app.get(
    "/api/office/departments/:id/seal-keepers",
    {
      schema: {
        operationId: "listSealKeepers",
        tags: ["office"],
        summary: "The department's seal keepers (印章管理员), by username",
        params: IdParams,
        response: { 200: Type.Array(Type.String()), ...problems(400, 401, 403) },
      },
      config: { access: staff },
    },
    async (req) => runRead(req, platform, (ctx) => listSealKeepers(ctx, req.params.id)),
  );

  app.put(
    "/api/office/departments/:id/seal-keepers",
    {
      schema: {
        operationId: "setSealKeepers",
        tags: ["office"],
        summary: "Name who may apply the department's seal (administrators, the department's leader)",
        params: IdParams,
        body: Type.Object(
          { userIds: Type.Array(Uuid, { maxItems: 20, uniqueItems: true }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Type.String()), ...problems(400, 401, 403, 404) },
      },
      config: { access: { roles: ["admin", "leader"], scope: "subtree" } },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, (ctx) => setSealKeepers(ctx, req.params.id, req.body.userIds)),
  );
}
