import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { type TSchema, Type } from "typebox";
import { STAFF_ROLES } from "../kernel/access/roles";
import { requestCtx } from "../kernel/http/context";
import { Page, PageQuery, problems, StringEnum, Text, Uuid } from "../kernel/http/schemas";
import { runWrite } from "../kernel/http/write";
import type { Platform } from "../kernel/platform";
import type { WorkflowEngine } from "./engine";
import {
  cancelInstance,
  ccInstance,
  claimTask,
  completeTask,
  correlateMessage,
  delegateTask,
  deployProcess,
  getInstance,
  getProcess,
  getTask,
  listProcesses,
  searchInstances,
  searchTasks,
  startProcess,
  validateProcess,
} from "./workflow.service";

const XML_LIMIT = 2 * 1024 * 1024;
const ProcessKey = Type.String({ pattern: "^[A-Za-z_][\\w.-]{0,99}$", description: "the BPMN process id" });
const Variables = Type.Record(Type.String({ pattern: "^[A-Za-z_][\\w]{0,63}$" }), Type.Unknown(), {
  maxProperties: 200,
  description: "process variables (JSON values)",
});
const Person = Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]);
const InstanceSummary = Type.Object({
  id: Type.String(),
  processKey: Type.String(),
  processName: Type.String(),
  version: Type.Integer(),
  businessKey: Type.Union([Type.String(), Type.Null()]),
  state: Type.String(),
  startedAt: Type.String(),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  startedBy: Person,
});
const Json = Type.Unknown();
const Task = Type.Object({
  id: Type.String(),
  instanceId: Type.String(),
  processKey: Type.String(),
  processName: Type.String(),
  elementId: Type.String(),
  name: Type.String(),
  businessKey: Type.Union([Type.String(), Type.Null()]),
  subject: Type.Union([Type.String(), Type.Null()], { description: "the instance's title or subject" }),
  state: Type.String(),
  assignee: Type.Union([
    Type.Object({
      id: Type.Union([Type.String(), Type.Null()]),
      name: Type.String(),
      username: Type.String(),
    }),
    Type.Null(),
  ]),
  candidateGroups: Type.Array(Type.String()),
  candidateUsers: Type.Array(Type.String()),
  createdAt: Type.String(),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  overdue: Type.Boolean(),
  completedAt: Type.Union([Type.String(), Type.Null()]),
  completedBy: Person,
  formKey: Type.Union([Type.String(), Type.Null()]),
  form: Json,
  priority: Type.Integer(),
});
/** A page of a list, saying which page it is. */
const Paged = <T extends TSchema>(item: T) =>
  Type.Object({ ...Page(item).properties, page: Type.Integer(), pageSize: Type.Integer() });
const staff = { roles: STAFF_ROLES, scope: "own" as const };
const admin = { roles: ["admin"] as const, scope: "district" as const };

/** The workflow API (paths after the GovStack Workflow building block: processes, instances, tasks). */
export function registerWorkflowRoutes(
  root: FastifyInstance,
  platform: Platform,
  engine: WorkflowEngine,
): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const wake = async () => platform.jobs.wake();

  app.register(async (xmlScope) => {
    xmlScope.addContentTypeParser(
      ["application/xml", "text/xml", "application/bpmn+xml"],
      { parseAs: "string", bodyLimit: XML_LIMIT },
      (_req, body, done) => done(null, body),
    );
    const scoped = xmlScope.withTypeProvider<TypeBoxTypeProvider>();
    const xmlBody = Type.String({ minLength: 1, maxLength: XML_LIMIT, description: "BPMN 2.0 XML" });
    scoped.post(
      "/api/workflow/processes",
      {
        schema: {
          operationId: "deployProcess",
          tags: ["workflow"],
          summary: "Deploy the executable processes of a BPMN 2.0 document (a new version each)",
          consumes: ["application/xml"],
          body: xmlBody,
          response: {
            201: Type.Object({
              key: Type.String(),
              version: Type.Integer(),
              name: Type.String(),
              processes: Type.Array(
                Type.Object({
                  key: Type.String(),
                  version: Type.Integer(),
                  name: Type.String(),
                  unchanged: Type.Boolean(),
                }),
              ),
            }),
            ...problems(400, 401, 403, 413, 415, 422),
          },
        },
        config: { access: admin },
      },
      async (req, reply) =>
        runWrite(req, reply, platform, 201, (ctx) => deployProcess(ctx, engine, req.body)),
    );
    scoped.post(
      "/api/workflow/processes/validate",
      {
        schema: {
          operationId: "validateProcess",
          tags: ["workflow"],
          summary: "Check a BPMN 2.0 document without deploying it",
          consumes: ["application/xml"],
          body: xmlBody,
          response: {
            200: Type.Object({
              valid: Type.Boolean(),
              processes: Type.Array(
                Type.Object({ key: Type.String(), name: Type.String(), executable: Type.Boolean() }),
              ),
              errors: Type.Array(
                Type.Object({ elementId: Type.Union([Type.String(), Type.Null()]), message: Type.String() }),
              ),
            }),
            ...problems(400, 401, 403, 413, 415),
          },
        },
        config: { access: admin },
      },
      async (req) => validateProcess(engine, req.body),
    );
  });

  app.get(
    "/api/workflow/processes",
    {
      schema: {
        operationId: "listProcesses",
        tags: ["workflow"],
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                key: Type.String(),
                name: Type.String(),
                version: Type.Integer(),
                versionCount: Type.Integer(),
                deployedAt: Type.String(),
                deployedBy: Person,
                activeInstances: Type.Integer(),
                startable: Type.Boolean({
                  description: "the caller may start it by hand (none start event, starter groups)",
                }),
              }),
            ),
          }),
          ...problems(401, 403),
        },
      },
      config: { access: staff },
    },
    async (req) => ({ items: await listProcesses(requestCtx(req, platform.db, platform.clock), engine) }),
  );

  app.get(
    "/api/workflow/processes/:key",
    {
      schema: {
        operationId: "getProcess",
        tags: ["workflow"],
        params: Type.Object({ key: ProcessKey }),
        querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: {
          200: Type.Object({
            key: Type.String(),
            name: Type.String(),
            version: Type.Integer(),
            xml: Type.String(),
            deployedAt: Type.String(),
            startForm: Json,
            versions: Type.Array(
              Type.Object({
                version: Type.Integer(),
                deployedAt: Type.String(),
                activeInstances: Type.Integer(),
              }),
            ),
          }),
          ...problems(400, 401, 403, 404),
        },
      },
      config: { access: staff },
    },
    async (req) =>
      getProcess(requestCtx(req, platform.db, platform.clock), engine, req.params.key, req.query.version),
  );

  app.post(
    "/api/workflow/processes/:key/instances",
    {
      schema: {
        operationId: "startProcess",
        tags: ["workflow"],
        params: Type.Object({ key: ProcessKey }),
        body: Type.Object(
          { variables: Type.Optional(Variables), businessKey: Type.Optional(Text(200)) },
          { additionalProperties: false },
        ),
        response: { 201: InstanceSummary, ...problems(400, 401, 403, 404, 422) },
      },
      config: { access: staff },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 201, (ctx) => startProcess(ctx, engine, req.params.key, req.body), {
        afterCommit: wake,
      }),
  );

  app.get(
    "/api/workflow/instances",
    {
      schema: {
        operationId: "listInstances",
        tags: ["workflow"],
        querystring: Type.Object({
          processKey: Type.Optional(ProcessKey),
          state: Type.Optional(StringEnum(["active", "completed", "cancelled"] as const)),
          businessKey: Type.Optional(Text(200)),
          mine: Type.Optional(Type.Boolean()),
          ...PageQuery,
        }),
        response: {
          200: Paged(InstanceSummary),
          ...problems(400, 401, 403),
        },
      },
      config: { access: staff },
    },
    async (req) => {
      const { page = 1, pageSize = 20, ...filter } = req.query;
      return searchInstances(requestCtx(req, platform.db, platform.clock), filter, page, pageSize);
    },
  );

  app.get(
    "/api/workflow/instances/:id",
    {
      schema: {
        operationId: "getInstance",
        tags: ["workflow"],
        params: Type.Object({ id: Uuid }),
        response: {
          200: Type.Object({
            ...InstanceSummary.properties,
            variables: Json,
            labels: Type.Record(Type.String(), Type.String(), {
              description: "variable name → its form title",
            }),
            activeElements: Type.Array(Type.String()),
            tokens: Type.Array(
              Type.Object({ id: Type.String(), elementId: Type.String(), state: Type.String() }),
            ),
            history: Type.Array(
              Type.Object({
                elementId: Type.String(),
                elementName: Type.Union([Type.String(), Type.Null()]),
                elementType: Type.String(),
                event: Type.String(),
                at: Type.String(),
                actor: Person,
              }),
            ),
            incidents: Type.Array(
              Type.Object({
                elementId: Type.Union([Type.String(), Type.Null()]),
                message: Type.String(),
                at: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
            parentInstanceId: Type.Union([Type.String(), Type.Null()]),
          }),
          ...problems(400, 401, 403, 404),
        },
      },
      config: { access: staff },
    },
    async (req) =>
      platform.db.transaction((tx) =>
        getInstance(requestCtx(req, tx, platform.clock), engine, req.params.id),
      ),
  );

  app.post(
    "/api/workflow/instances/:id/cancel",
    {
      schema: {
        operationId: "cancelInstance",
        tags: ["workflow"],
        params: Type.Object({ id: Uuid }),
        body: Type.Object({ reason: Text(500) }, { additionalProperties: false }),
        response: { 200: InstanceSummary, ...problems(400, 401, 403, 404, 409) },
      },
      config: { access: staff },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, (ctx) =>
        cancelInstance(ctx, engine, req.params.id, req.body.reason),
      ),
  );

  app.post(
    "/api/workflow/instances/:id/cc",
    {
      schema: {
        operationId: "ccInstance",
        tags: ["workflow"],
        summary: "抄送: copy an instance to colleagues, who then see it under 'copied to me'",
        params: Type.Object({ id: Uuid }),
        body: Type.Object(
          { usernames: Type.Array(Text(100), { minItems: 1, maxItems: 50, uniqueItems: true }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ added: Type.Integer() }), ...problems(400, 401, 403, 404, 422) },
      },
      config: { access: staff },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, (ctx) => ccInstance(ctx, req.params.id, req.body.usernames)),
  );

  app.post(
    "/api/workflow/messages",
    {
      schema: {
        operationId: "correlateMessage",
        tags: ["workflow"],
        body: Type.Object(
          {
            messageName: Text(200),
            correlationKey: Type.Optional(Text(200)),
            businessKey: Type.Optional(Text(200)),
            instanceId: Type.Optional(Uuid),
            variables: Type.Optional(Variables),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ instanceIds: Type.Array(Type.String()), started: Type.Boolean() }),
          ...problems(400, 401, 403, 404, 422),
        },
      },
      config: { access: admin },
    },
    async (req, reply) =>
      runWrite(req, reply, platform, 200, (ctx) => correlateMessage(ctx, engine, req.body), {
        afterCommit: wake,
      }),
  );

  app.get(
    "/api/workflow/tasks",
    {
      schema: {
        operationId: "listTasks",
        tags: ["workflow"],
        summary: "The inbox: 待办 (todo), 已办 (done), 我发起的 (started), 抄送 (cc)",
        querystring: Type.Object({
          view: Type.Optional(
            StringEnum(["todo", "done", "started", "cc"] as const, { description: "default todo" }),
          ),
          q: Type.Optional(Text(100)),
          processKey: Type.Optional(ProcessKey),
          instanceId: Type.Optional(Uuid),
          ...PageQuery,
        }),
        response: {
          200: Paged(Task),
          ...problems(400, 401, 403),
        },
      },
      config: { access: staff },
    },
    async (req) => {
      const { page = 1, pageSize = 20, view = "todo", ...filter } = req.query;
      return searchTasks(
        requestCtx(req, platform.db, platform.clock),
        engine,
        { view, ...filter },
        page,
        pageSize,
      );
    },
  );

  app.get(
    "/api/workflow/tasks/:id",
    {
      schema: {
        operationId: "getTask",
        tags: ["workflow"],
        params: Type.Object({ id: Uuid }),
        response: {
          200: Type.Object({ ...Task.properties, variables: Json }),
          ...problems(400, 401, 403, 404),
        },
      },
      config: { access: staff },
    },
    async (req) =>
      platform.db.transaction((tx) => getTask(requestCtx(req, tx, platform.clock), engine, req.params.id)),
  );

  const taskAction = (
    path: string,
    operationId: string,
    body: ReturnType<typeof Type.Object> | null,
    action: (ctx: Parameters<typeof claimTask>[0], id: string, body: never) => Promise<unknown>,
  ) =>
    app.post(
      `/api/workflow/tasks/:id/${path}`,
      {
        schema: {
          operationId,
          tags: ["workflow"],
          params: Type.Object({ id: Uuid }),
          ...(body ? { body } : {}),
          response: { 200: Task, ...problems(400, 401, 403, 404, 409, 422) },
        },
        config: { access: staff },
      },
      async (req, reply) =>
        runWrite(req, reply, platform, 200, (ctx) => action(ctx, req.params.id, (req.body ?? {}) as never), {
          afterCommit: wake,
        }),
    );
  taskAction("claim", "claimTask", null, (ctx, id) => claimTask(ctx, engine, id));
  taskAction(
    "complete",
    "completeTask",
    Type.Object({ variables: Type.Optional(Variables) }, { additionalProperties: false }),
    (ctx, id, body: { variables?: Record<string, unknown> }) =>
      completeTask(ctx, engine, id, body.variables ?? {}),
  );
  taskAction(
    "delegate",
    "delegateTask",
    Type.Object({ username: Text(100), comment: Type.Optional(Text(500)) }, { additionalProperties: false }),
    (ctx, id, body: { username: string; comment?: string }) =>
      delegateTask(ctx, engine, id, body.username, body.comment),
  );
}
