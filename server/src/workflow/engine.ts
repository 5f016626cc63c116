import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { FastifyBaseLogger } from "fastify";
import { appendAudit } from "../kernel/audit/audit";
import type { CalendarService } from "../kernel/calendar/calendar.service";
import { canonicalJson } from "../kernel/crypto/canonical-json";
import { sm3 } from "../kernel/crypto/sm";
import type { Db } from "../kernel/db/db";
import { isoTimestampSql, rawQuery } from "../kernel/db/db";
import { newId } from "../kernel/db/ids";
import { publishEvent } from "../kernel/events/events";
import type { Clock, Ctx } from "../kernel/http/context";
import { AppError } from "../kernel/http/errors";
import { type JobRunner, scheduleJob } from "../kernel/jobs/jobs";
import { compileBpmn, type ModelProblem } from "./compile";
import { withDiagram } from "./diagram";
import { WorkflowErrors } from "./errors";
import type { FormSchema, ProcessModel } from "./model";
import {
  type FollowUp,
  type InstanceRow,
  JOB_DUE,
  JOB_SERVICE,
  JOB_TIMER,
  Step,
  type TaskRow,
  type Variables,
} from "./step";
import { type AuditRow, flushStep, loadTokens, lockInstance, parseJson } from "./store";
import { addDuration, parseTimer } from "./timers";

export const JOB_START_TIMER = "workflow.start-timer";
const LATEST_TTL_MS = 1000;
const LIBRARY = path.join(path.dirname(fileURLToPath(import.meta.url)), "library");

/** What a service-task handler receives. Its work in `tx` commits with the step that follows. */
export interface ServiceTaskContext {
  tx: Db;
  instanceId: string;
  businessKey: string | null;
  processKey: string;
  elementId: string;
  variables: Readonly<Variables>;
  /** Stable across retries of this very task execution: pass it to anything outside the database. */
  idempotencyKey: string;
  log: FastifyBaseLogger;
}

export interface OpenTask {
  id: string;
  elementId: string;
  name: string;
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  dueAt: string | null;
}

export interface TaskCompletion {
  userId: string | null;
  name: string | null;
  username: string | null;
  completedAt: string;
  outcome: Variables | null;
}

/** Returns variables to merge into the instance (or nothing). Throw BpmnError for a modelled error. */
export type ServiceTaskHandler = (ctx: ServiceTaskContext) => Promise<Variables | undefined | undefined>;

/** A business error the model handles with an error boundary event (not a technical failure). */
export class BpmnError extends Error {
  constructor(
    readonly code: string,
    message = `BPMN error ${code}`,
  ) {
    super(message);
  }
}

export interface DeployedProcess {
  key: string;
  version: number;
  name: string;
  definitionId: string;
  /** The same model was deployed before: no new version was made. */
  unchanged: boolean;
}

interface Definition {
  id: string;
  key: string;
  version: number;
  model: ProcessModel;
}

export interface EngineDeps {
  db: Db;
  clock: Clock;
  log: FastifyBaseLogger;
  calendar: CalendarService;
  jobs: JobRunner;
}

/**
 * The BPMN engine shared by the four networks: an executor of our own on the database (ADR 6).
 * Modules register service-task handlers and forms here, deploy their models and start instances.
 */
export class WorkflowEngine {
  private readonly handlers = new Map<string, ServiceTaskHandler>();
  private readonly libraries = [LIBRARY];
  private readonly forms = new Map<string, FormSchema>();
  private readonly definitions = new Map<string, Definition>();
  private readonly latest = new Map<string, { id: string; at: number }>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv = new Ajv({ allErrors: true, strict: false });

  constructor(private readonly deps: EngineDeps) {
    addFormats.default(this.ajv);
    deps.jobs.register(JOB_SERVICE, (ctx, payload) => this.runServiceTask(ctx, payload as ServicePayload));
    deps.jobs.register(JOB_TIMER, (ctx, payload) => this.fireTimer(ctx, payload as TimerPayload));
    deps.jobs.register(JOB_DUE, (ctx, payload) => this.taskDue(ctx, payload as DuePayload));
    deps.jobs.register(JOB_START_TIMER, (ctx, payload) =>
      this.fireStartTimer(ctx, payload as StartTimerPayload),
    );
  }

  registerHandler(name: string, handler: ServiceTaskHandler): void {
    if (this.handlers.has(name)) throw new Error(`A service handler named ${name} exists already`);
    this.handlers.set(name, handler);
  }

  registerForm(key: string, schema: FormSchema): void {
    this.forms.set(key, schema);
  }

  /** Compiles a document without deploying it: what the modeler's "validate" shows. */
  async validate(xml: string) {
    return compileBpmn(xml, { handlers: new Set(this.handlers.keys()), forms: this.forms });
  }

  // ─── definitions ─────────────────────────────────────────────────────────

  /**
   * Deploys every executable process of a document as a new version (unless unchanged). A shipped
   * template (`shipped`) is deployed only if this very model was never deployed before: once an
   * administrator has edited it in the modeler, restarting does not put the shipped one back.
   */
  async deploy(ctx: Ctx, xml: string, options: { shipped?: boolean } = {}): Promise<DeployedProcess[]> {
    const result = await this.validate(xml);
    const problems = [...result.problems, ...(await this.missingCalledProcesses(ctx.tx, result.processes))];
    if (problems.length > 0) throw modelInvalid(problems);
    // Laid out only when a new version is stored (an unchanged redeploy, as at every start, skips it).
    let stored: string | null = null;
    const deployed: DeployedProcess[] = [];
    for (const { model, executable } of result.processes) {
      if (!executable) continue;
      const hash = sm3(canonicalJson(model)).toString("hex");
      await rawQuery(ctx.tx, "select pg_advisory_xact_lock(hashtext($1))", [`workflow.deploy:${model.key}`]);
      const [latest] = await rawQuery<{ id: string; version: number; hash: string }>(
        ctx.tx,
        "select id, version, hash from workflow.definitions where key = $1 order by version desc limit 1",
        [model.key],
      );
      const seen =
        options.shipped && latest && latest.hash !== hash
          ? (
              await rawQuery(
                ctx.tx,
                "select 1 from workflow.definitions where key = $1 and hash = $2 limit 1",
                [model.key, hash],
              )
            ).length > 0
          : false;
      if (latest && (latest.hash === hash || seen)) {
        deployed.push({
          key: model.key,
          version: latest.version,
          name: model.name,
          definitionId: latest.id,
          unchanged: true,
        });
        continue;
      }
      stored ??= await withDiagram(xml, ctx.log);
      const id = newId();
      const version = (latest?.version ?? 0) + 1;
      this.latest.delete(model.key);
      await rawQuery(
        ctx.tx,
        `insert into workflow.definitions (id, key, version, name, xml, model, hash, deployed_by, deployed_at)
         values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)`,
        [
          id,
          model.key,
          version,
          model.name,
          stored,
          JSON.stringify(model),
          hash,
          ctx.actor?.id ?? null,
          ctx.clock.now().toISOString(),
        ],
      );
      await this.scheduleStartTimers(ctx, model);
      await appendAudit(ctx.tx, ctx, {
        action: "workflow.process.deployed",
        resourceType: "process",
        resourceId: `${model.key}:${version}`,
        details: { key: model.key, version, hash },
      });
      await publishEvent(ctx.tx, "workflow.process.deployed", { key: model.key, version, definitionId: id });
      deployed.push({ key: model.key, version, name: model.name, definitionId: id, unchanged: false });
    }
    return deployed;
  }

  /** A call activity must call a process that is deployed already or comes in the same document. */
  private async missingCalledProcesses(
    db: Db,
    processes: { model: ProcessModel }[],
  ): Promise<ModelProblem[]> {
    const inDocument = new Set(processes.map((p) => p.model.key));
    const calls = processes.flatMap(({ model }) =>
      Object.values(model.elements)
        .filter((e) => e.calledElement && !inDocument.has(e.calledElement))
        .map((e) => ({ elementId: e.id, key: e.calledElement! })),
    );
    if (calls.length === 0) return [];
    const deployed = new Set(
      (
        await rawQuery<{ key: string }>(
          db,
          "select distinct key from workflow.definitions where key = any($1::text[])",
          [calls.map((c) => c.key)],
        )
      ).map((r) => r.key),
    );
    return calls
      .filter((c) => !deployed.has(c.key))
      .map((c) => ({ elementId: c.elementId, message: `calls process "${c.key}", which is not deployed` }));
  }

  /**
   * Deploys the process library shipped with the platform (library/*.bpmn): common office
   * processes an administrator can then change in the modeler. An unchanged model is not redeployed.
   */
  /** Adds a module's folder of shipped .bpmn models to what deployLibrary deploys. */
  addLibrary(dir: string): void {
    if (!this.libraries.includes(dir)) this.libraries.push(dir);
  }

  /** Deploys the shipped process library (the engine's own and the modules'), new models only. */
  async deployLibrary(ctx: Ctx): Promise<DeployedProcess[]> {
    const deployed: DeployedProcess[] = [];
    for (const dir of this.libraries) {
      for (const file of readdirSync(dir)
        .filter((f) => f.endsWith(".bpmn"))
        .sort()) {
        const xml = readFileSync(path.join(dir, file), "utf8");
        deployed.push(...(await this.deploy(ctx, xml, { shipped: true })));
      }
    }
    return deployed;
  }

  /** A timer start event belongs to the latest version: deploying replaces the earlier schedule. */
  private async scheduleStartTimers(ctx: Ctx, model: ProcessModel): Promise<void> {
    await rawQuery(
      ctx.tx,
      `update platform.jobs set status = 'cancelled', finished_at = now()
       where kind = $1 and status = 'pending' and payload->>'processKey' = $2`,
      [JOB_START_TIMER, model.key],
    );
    for (const { elementId, timer } of model.timerStarts) {
      const schedule = parseTimer(timer, ctx.clock.now());
      await scheduleJob(ctx.tx, ctx.clock, {
        kind: JOB_START_TIMER,
        dedupeKey: `wf:start:${model.key}:${elementId}`,
        runAt: schedule.at,
        payload: { processKey: model.key, elementId, repeat: schedule.repeat ?? null },
      });
    }
  }

  /** The open user tasks of an instance, for modules that decide what their records allow meanwhile. */
  async openTasks(db: Db, instanceId: string): Promise<OpenTask[]> {
    return rawQuery<OpenTask>(
      db,
      `select id, element_id as "elementId", name, assignee, candidate_groups as "candidateGroups",
         candidate_users as "candidateUsers",
         ${isoTimestampSql("due_at")} as "dueAt"
       from workflow.tasks where instance_id = $1 and state = 'open' order by created_at`,
      [instanceId],
    );
  }

  /** Who completed the latest user task at an element of an instance, when, and with what. */
  async lastCompletion(db: Db, instanceId: string, elementId: string): Promise<TaskCompletion | null> {
    const [row] = await rawQuery<TaskCompletion>(
      db,
      `select k.completed_by as "userId", u.display_name as "name", u.username,
         to_char(k.completed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "completedAt",
         k.outcome
       from workflow.tasks k left join identity.users u on u.id = k.completed_by
       where k.instance_id = $1 and k.element_id = $2 and k.state = 'completed'
       order by k.completed_at desc limit 1`,
      [instanceId, elementId],
    );
    return row ? { ...row, outcome: parseJson(row.outcome) as Variables | null } : null;
  }

  async definition(db: Db, id: string): Promise<Definition> {
    const cached = this.definitions.get(id);
    if (cached) return cached;
    const [row] = await rawQuery<{ id: string; key: string; version: number; model: ProcessModel | string }>(
      db,
      "select id, key, version, model from workflow.definitions where id = $1",
      [id],
    );
    if (!row) throw new AppError(WorkflowErrors.PROCESS_NOT_FOUND);
    const definition = { ...row, model: parseJson(row.model) };
    this.definitions.set(id, definition);
    return definition;
  }

  /**
   * The latest version of a process. Starting is the hottest path, so the answer is kept for a
   * second: a version deployed by this process is seen at once, one deployed by another server
   * process within LATEST_TTL_MS.
   */
  async latestDefinition(db: Db, key: string): Promise<Definition> {
    const cached = this.latest.get(key);
    if (cached && performance.now() - cached.at < LATEST_TTL_MS) return this.definition(db, cached.id);
    const [row] = await rawQuery<{ id: string }>(
      db,
      "select id from workflow.definitions where key = $1 order by version desc limit 1",
      [key],
    );
    if (!row) {
      throw new AppError(WorkflowErrors.PROCESS_NOT_FOUND, { message: `No process "${key}" is deployed` });
    }
    if (this.latest.size > 10_000) this.latest.clear();
    this.latest.set(key, { id: row.id, at: performance.now() });
    return this.definition(db, row.id);
  }

  // ─── instances ───────────────────────────────────────────────────────────

  /** Starts an instance of the latest version (variables validated against the start form). */
  async start(
    ctx: Ctx,
    key: string,
    input: {
      variables?: Variables;
      businessKey?: string | null;
      startEventId?: string;
      parent?: { instanceId: string; tokenId: string };
    },
  ): Promise<InstanceRow> {
    const definition = await this.latestDefinition(ctx.tx, key);
    const { model } = definition;
    const startEventId = input.startEventId ?? model.startEvent;
    if (!startEventId) throw new AppError(WorkflowErrors.PROCESS_HAS_NO_NONE_START);
    const variables = { ...(input.variables ?? {}) };
    if (!input.parent && model.startForm && !input.startEventId) {
      this.validateVariables(`${definition.id}:start`, model.startForm, variables);
    }
    if (ctx.actor && variables.initiator === undefined) variables.initiator = ctx.actor.username;
    const instance: InstanceRow = {
      id: newId(),
      definition_id: definition.id,
      process_key: model.key,
      version: definition.version,
      business_key: input.businessKey ?? null,
      state: "active",
      variables,
      parent_instance_id: input.parent?.instanceId ?? null,
      parent_token_id: input.parent?.tokenId ?? null,
      started_by: ctx.actor?.id ?? null,
      started_at: ctx.clock.now().toISOString(),
      ended_at: null,
      end_reason: null,
    };
    const step = new Step(model, instance, [], this.stepDeps(ctx));
    step.start(startEventId);
    await flushStep(ctx.tx, ctx, step, [
      {
        action: "workflow.instance.started",
        resourceType: "process-instance",
        resourceId: instance.id,
        details: { processKey: model.key, version: definition.version, businessKey: instance.business_key },
      },
    ]);
    await this.followUp(ctx, step.followUps);
    return step.instance;
  }

  /**
   * Runs `action` on the instance's current state under its row lock and writes the step.
   * Returns null when the instance does not exist.
   */
  async withInstance(
    ctx: Ctx,
    instanceId: string,
    options: { taskId?: string; audit?: (step: Step) => AuditRow[] },
    action: (step: Step, task: TaskRow | null) => Promise<void> | void,
  ): Promise<Step | null> {
    const instance = await lockInstance(ctx.tx, instanceId);
    if (!instance) return null;
    const { tokens, task } = await loadTokens(ctx.tx, instanceId, options.taskId ?? null);
    const { model } = await this.definition(ctx.tx, instance.definition_id);
    const step = new Step(model, instance, tokens, this.stepDeps(ctx));
    await action(step, task);
    await flushStep(ctx.tx, ctx, step, options.audit?.(step) ?? []);
    await this.followUp(ctx, step.followUps);
    return step;
  }

  /** Completes a task (the caller checked who may); variables are validated against its form. */
  async completeTask(ctx: Ctx, task: TaskRow, step: Step, variables: Variables): Promise<void> {
    const element = step.model.elements[task.element_id];
    const form = element?.userTask?.form;
    if (form)
      this.validateVariables(
        `${task.instance_id}:${step.instance.definition_id}:${task.element_id}`,
        form,
        variables,
      );
    step.completeTask(task, variables, ctx.actor?.id ?? null);
  }

  validateVariables(cacheKey: string, schema: FormSchema, variables: Variables): void {
    let validate = this.validators.get(cacheKey);
    if (!validate) {
      validate = this.ajv.compile(schema);
      if (this.validators.size > 2000) this.validators.clear();
      this.validators.set(cacheKey, validate);
    }
    if (validate(variables)) return;
    throw new AppError(WorkflowErrors.VARIABLES_INVALID, {
      errors: (validate.errors ?? []).map((e) => {
        const missing =
          e.keyword === "required" ? `/${(e.params as { missingProperty: string }).missingProperty}` : "";
        return { field: `/body/variables${e.instancePath}${missing}`, message: e.message ?? "is invalid" };
      }),
    });
  }

  /** Work a step left for after it was written: called processes start, callers resume. */
  private async followUp(ctx: Ctx, followUps: FollowUp[]): Promise<void> {
    for (const next of followUps) {
      if (next.kind === "startChild") {
        const child = await this.start(ctx, next.processKey, {
          variables: next.variables,
          parent: { instanceId: next.parentInstanceId, tokenId: next.tokenId },
        });
        await rawQuery(
          ctx.tx,
          `update workflow.tokens set data = data || jsonb_build_object('child', $2::text) where id = $1`,
          [next.tokenId, child.id],
        );
      } else if (next.kind === "resumeParent") {
        await this.withInstance(ctx, next.parentInstanceId, {}, (step) => {
          if (step.tokens.has(next.tokenId)) step.resume(next.tokenId, next.variables);
        });
      } else if (next.kind === "errorInParent") {
        await this.withInstance(ctx, next.parentInstanceId, {}, (step) => {
          if (step.tokens.has(next.tokenId)) step.raiseError(next.tokenId, next.code);
        });
      } else {
        await this.withInstance(ctx, next.instanceId, {}, (step) => {
          if (step.instance.state === "active") step.cancel("the calling process was cancelled");
        });
      }
    }
  }

  // ─── jobs: service tasks, timers, deadlines ─────────────────────────────

  private async runServiceTask(ctx: Ctx, payload: ServicePayload): Promise<void> {
    // Audited when the step changed something (not when the token had moved on).
    const audit = (step: Step) =>
      step.history.length === 0
        ? []
        : [
            {
              action: "workflow.service-task.ran",
              resourceType: "process-instance",
              resourceId: payload.instanceId,
              details: { tokenId: payload.tokenId },
            },
          ];
    await this.withInstance(ctx, payload.instanceId, { audit }, async (step) => {
      const token = step.tokens.get(payload.tokenId);
      if (!token || step.instance.state !== "active") return; // moved on (cancelled, interrupted)
      const element = step.element(token.element_id);
      const handler = this.handlers.get(element.handler ?? "");
      if (!handler) throw new Error(`No service handler "${element.handler}" is registered`);
      try {
        const result = await handler({
          tx: ctx.tx,
          instanceId: step.instance.id,
          businessKey: step.instance.business_key,
          processKey: step.instance.process_key,
          elementId: element.id,
          variables: step.instance.variables,
          idempotencyKey: `${step.instance.id}:${token.id}`,
          log: ctx.log,
        });
        step.resume(token.id, result ?? {});
      } catch (e) {
        if (!(e instanceof BpmnError)) throw e;
        step.raiseError(token.id, e.code);
      }
    });
    this.deps.jobs.wake();
  }

  private async fireTimer(ctx: Ctx, payload: TimerPayload): Promise<void> {
    const audit = (step: Step) =>
      step.history.length === 0
        ? []
        : [
            {
              action: "workflow.timer.fired",
              resourceType: "process-instance",
              resourceId: payload.instanceId,
              details: { elementId: payload.elementId },
            },
          ];
    await this.withInstance(ctx, payload.instanceId, { audit }, (step) => {
      const token = step.tokens.get(payload.tokenId);
      if (!token || step.instance.state !== "active") return;
      const element = step.element(payload.elementId);
      const repeat = payload.repeat;
      if (element.type === "boundaryEvent" && !element.interrupting && repeat && repeat.remaining !== 0) {
        const key = `wf:timer:${token.id}:${element.id}`;
        step.jobs.set(key, {
          kind: JOB_TIMER,
          payload: {
            ...payload,
            repeat: { ...repeat, remaining: repeat.remaining === null ? null : repeat.remaining - 1 },
          },
          runAt: addDuration(ctx.clock.now(), repeat.duration).toISOString(),
          dedupeKey: key,
        });
      }
      step.trigger(token.id, element.id, {});
    });
    this.deps.jobs.wake();
  }

  private async fireStartTimer(ctx: Ctx, payload: StartTimerPayload): Promise<void> {
    const definition = await this.latestDefinition(ctx.tx, payload.processKey);
    if (!definition.model.timerStarts.some((t) => t.elementId === payload.elementId)) return;
    await this.start(ctx, payload.processKey, { startEventId: payload.elementId });
    const repeat = payload.repeat;
    if (repeat && repeat.remaining !== 0) {
      await scheduleJob(ctx.tx, ctx.clock, {
        kind: JOB_START_TIMER,
        dedupeKey: `wf:start:${payload.processKey}:${payload.elementId}`,
        runAt: addDuration(ctx.clock.now(), repeat.duration),
        payload: {
          ...payload,
          repeat: { ...repeat, remaining: repeat.remaining === null ? null : repeat.remaining - 1 },
        },
      });
    }
    this.deps.jobs.wake();
  }

  /** Reminder before a task's deadline and escalation after it, as events other modules act on. */
  private async taskDue(ctx: Ctx, payload: DuePayload): Promise<void> {
    const [task] = await rawQuery<{
      id: string;
      instance_id: string;
      process_key: string;
      element_id: string;
      name: string;
      business_key: string | null;
      assignee: string | null;
      candidate_groups: string[];
      due_at: string;
      state: string;
    }>(
      ctx.tx,
      `select id, instance_id, process_key, element_id, name, business_key, assignee, candidate_groups, due_at, state
       from workflow.tasks where id = $1`,
      [payload.taskId],
    );
    if (task?.state !== "open") return;
    await publishEvent(
      ctx.tx,
      payload.stage === "reminder" ? "workflow.task.due-soon" : "workflow.task.overdue",
      {
        taskId: task.id,
        instanceId: task.instance_id,
        processKey: task.process_key,
        elementId: task.element_id,
        name: task.name,
        businessKey: task.business_key,
        assignee: task.assignee,
        candidateGroups: task.candidate_groups,
        dueAt: new Date(task.due_at).toISOString(),
      },
    );
  }

  /** Functions expressions may call; time comes from the platform clock, working days from its calendar. */
  private stepDeps(ctx: Ctx) {
    const now = ctx.clock.now();
    const calendar = this.deps.calendar.current;
    const endOfWorkingDay = (from: Date, n: unknown) => {
      const days = Number(n);
      if (!Number.isInteger(days) || days < 0 || days > 3650)
        throw new Error("workingDays needs a whole number of days");
      const start = shanghaiDay(from);
      const date = days === 0 ? start : calendar.addWorkingDays(start, days);
      return new Date(`${date}T23:59:59+08:00`);
    };
    return {
      now,
      actorId: ctx.actor?.id ?? null,
      functions: {
        now: () => now,
        /** The end (23:59:59 China time) of the n-th working day after today. */
        workingDays: (n: unknown) => endOfWorkingDay(now, n),
        workingDaysAfter: (date: unknown, n: unknown) => endOfWorkingDay(new Date(String(date)), n),
        /** An ISO duration from now, as a date. */
        later: (duration: unknown) => addDuration(now, String(duration)),
      },
    };
  }
}

function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

function modelInvalid(problems: ModelProblem[]): AppError {
  return new AppError(WorkflowErrors.PROCESS_MODEL_INVALID, {
    message: problems.map((p) => (p.elementId ? `${p.elementId}: ${p.message}` : p.message)).join("; "),
    errors: problems.map((p) => ({
      field: "/body",
      message: p.elementId ? `${p.elementId}: ${p.message}` : p.message,
    })),
    details: { problems },
  });
}

interface ServicePayload {
  instanceId: string;
  tokenId: string;
}
interface TimerPayload {
  instanceId: string;
  tokenId: string;
  elementId: string;
  repeat: { remaining: number | null; duration: string } | null;
}
interface DuePayload {
  taskId: string;
  stage: "reminder" | "overdue";
}
interface StartTimerPayload {
  processKey: string;
  elementId: string;
  repeat: { remaining: number | null; duration: string } | null;
}
