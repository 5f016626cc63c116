import { newId } from "../kernel/db/ids";
import { AppError } from "../kernel/http/errors";
import { WorkflowErrors } from "./errors";
import { type Expr, evaluate, isExpression, parseExpression } from "./expressions/expressions";
import type { ElementModel, ProcessModel, TimerSpec } from "./model";
import { addDuration, isDuration, parseDateTime, parseTimer } from "./timers";

/**
 * One step of one process instance: everything that happens, inside one transaction, between the
 * trigger (start, a completed task, a timer, a message) and the next wait states. The step works on
 * the instance's state in memory and records what changed; store.ts writes it in one statement.
 */

export type Variables = Record<string, unknown>;

export interface InstanceRow {
  id: string;
  definition_id: string;
  process_key: string;
  version: number;
  business_key: string | null;
  state: "active" | "completed" | "cancelled";
  variables: Variables;
  parent_instance_id: string | null;
  parent_token_id: string | null;
  started_by: string | null;
  started_at: string;
  ended_at: string | null;
  end_reason: string | null;
}

export interface LoopState {
  total: number;
  completed: number;
  approvals: number;
  rejections: number;
  /** The collection's items, when the loop runs over one. */
  items: unknown[] | null;
  /** Sequential loops: the index the next instance gets. */
  next: number;
}

export interface TokenData {
  /** The flow a token waiting at a join came by. */
  via?: string;
  loop?: LoopState;
  /** A multi-instance inner token's loop counter. */
  index?: number;
  /** A call activity's child instance. */
  child?: string;
}

export interface TokenRow {
  id: string;
  instance_id: string;
  element_id: string;
  scope_id: string | null;
  state: "waiting" | "scope" | "joining";
  data: TokenData;
  created_at: string;
}

export interface TaskRow {
  id: string;
  instance_id: string;
  token_id: string;
  process_key: string;
  process_name: string;
  element_id: string;
  name: string;
  business_key: string | null;
  state: "open" | "completed" | "cancelled";
  assignee: string | null;
  candidate_groups: string[];
  candidate_users: string[];
  due_at: string | null;
  form_key: string | null;
  priority: number;
  local: Variables;
  started_by: string | null;
  delegated_from: string | null;
  created_at: string;
  completed_at: string | null;
  completed_by: string | null;
  outcome: Variables | null;
}

export interface HistoryRow {
  id: string;
  instance_id: string;
  element_id: string;
  element_type: string;
  element_name: string | null;
  event: "started" | "completed" | "cancelled" | "taken" | "triggered";
  actor_id: string | null;
  at: string;
}

export interface SubscriptionRow {
  id: string;
  instance_id: string;
  token_id: string;
  element_id: string;
  message_name: string;
  correlation_key: string | null;
  created_at: string;
}

export interface JobRequest {
  kind: string;
  payload: unknown;
  runAt: string;
  dedupeKey: string;
}

/** What the engine does once the step is written: start a called process, resume a caller. */
export type FollowUp =
  | {
      kind: "startChild";
      parentInstanceId: string;
      tokenId: string;
      processKey: string;
      variables: Variables;
    }
  | { kind: "resumeParent"; parentInstanceId: string; tokenId: string; variables: Variables }
  | { kind: "cancelChild"; instanceId: string }
  | { kind: "errorInParent"; parentInstanceId: string; tokenId: string; code: string | undefined };

export interface StepDeps {
  now: Date;
  actorId: string | null;
  /** Timer and due-date expressions may call these (workingDays(n) and friends). */
  functions: Record<string, (...args: unknown[]) => unknown>;
}

export const JOB_TIMER = "workflow.timer";
export const JOB_SERVICE = "workflow.service";
export const JOB_DUE = "workflow.task-due";

interface Arrival {
  elementId: string;
  scopeId: string | null;
  via: string | null;
}

const MAX_ARRIVALS = 10_000;
const expressionCache = new Map<string, Expr>();

export function compiledExpression(source: string): Expr {
  let expr = expressionCache.get(source);
  if (!expr) {
    expr = parseExpression(source);
    if (expressionCache.size > 5000) expressionCache.clear();
    expressionCache.set(source, expr);
  }
  return expr;
}

/** Thrown to unwind a step when the model and the data disagree (no flow matches, a bad value). */
function runtimeError(elementId: string, message: string): AppError {
  return new AppError(WorkflowErrors.PROCESS_RUNTIME_ERROR, {
    message: `${elementId}: ${message}`,
    errors: [{ field: "/body/variables", message: `${elementId}: ${message}` }],
  });
}

export class Step {
  readonly tokens = new Map<string, TokenRow>();
  readonly newTokens = new Set<string>();
  readonly deletedTokens = new Set<string>();
  readonly changedTokens = new Set<string>();
  readonly newTasks = new Map<string, TaskRow>();
  readonly taskUpdates = new Map<string, Partial<TaskRow> & { id: string }>();
  /** Tokens whose open tasks are cancelled (tasks the step did not load). */
  readonly cancelTasksOfTokens = new Set<string>();
  readonly newSubscriptions: SubscriptionRow[] = [];
  readonly dropSubscriptionsOfTokens = new Set<string>();
  readonly history: HistoryRow[] = [];
  readonly jobs = new Map<string, JobRequest>();
  readonly cancelJobs = new Set<string>();
  readonly events: { topic: string; payload: unknown }[] = [];
  readonly followUps: FollowUp[] = [];
  instanceInserted = false;
  instanceChanged = false;

  private readonly agenda: Arrival[] = [];
  private readonly scopesToCheck = new Set<string | null>();
  private arrivals = 0;
  private readonly at: string;

  constructor(
    readonly model: ProcessModel,
    readonly instance: InstanceRow,
    loaded: TokenRow[],
    private readonly deps: StepDeps,
  ) {
    for (const token of loaded) this.tokens.set(token.id, token);
    this.at = deps.now.toISOString();
  }

  // ─── triggers ────────────────────────────────────────────────────────────

  /** A new instance: from the none start event, or the given (message or timer) start event. */
  start(startEventId: string): void {
    this.instanceInserted = true;
    this.record(this.element(startEventId), "started");
    this.record(this.element(startEventId), "completed");
    this.leave(this.element(startEventId), null);
    this.run();
    this.events.push({
      topic: "workflow.instance.started",
      payload: this.instancePayload(),
    });
  }

  /** A user task of this instance was completed with these variables. */
  completeTask(task: TaskRow, variables: Variables, actorId: string | null): void {
    this.setVariables(variables);
    this.taskUpdates.set(task.id, {
      id: task.id,
      state: "completed",
      completed_at: this.at,
      completed_by: actorId,
      outcome: variables,
    });
    this.events.push({
      topic: "workflow.task.completed",
      payload: {
        taskId: task.id,
        instanceId: this.instance.id,
        processKey: this.instance.process_key,
        elementId: task.element_id,
        businessKey: this.instance.business_key,
        completedBy: actorId,
        variables,
      },
    });
    const token = this.tokens.get(task.token_id);
    if (!token) return;
    const element = this.element(token.element_id);
    if (element.multiInstance && token.scope_id) {
      this.completeInnerInstance(element, token, variables);
    } else {
      this.removeToken(token, "completed");
      this.leave(element, token.scope_id);
    }
    this.run();
  }

  /** A wait state finished outside a task: a service task's job, a message, a called process. */
  resume(tokenId: string, variables: Variables): void {
    const token = this.requireToken(tokenId);
    this.setVariables(variables);
    const element = this.element(token.element_id);
    this.removeToken(token, "completed");
    this.leave(element, token.scope_id);
    this.run();
  }

  /** A timer or message boundary event (or an intermediate timer) fired for a waiting token. */
  trigger(tokenId: string, eventElementId: string, variables: Variables): void {
    const token = this.requireToken(tokenId);
    this.setVariables(variables);
    const event = this.element(eventElementId);
    if (event.type !== "boundaryEvent") {
      this.removeToken(token, "completed");
      this.leave(event, token.scope_id);
    } else {
      this.record(event, "triggered");
      if (event.interrupting) this.removeToken(token, "cancelled");
      this.leave(event, token.scope_id);
    }
    this.run();
  }

  /** A BPMN error raised at a waiting token (a service handler's BpmnError, a called process's error). */
  raiseError(tokenId: string, code: string | undefined): void {
    const token = this.requireToken(tokenId);
    this.throwError(token, code, this.element(token.element_id));
    this.run();
  }

  cancel(reason: string): void {
    for (const token of [...this.tokens.values()]) {
      if (!this.deletedTokens.has(token.id)) this.removeToken(token, "cancelled");
    }
    this.endInstance("cancelled", reason);
  }

  // ─── the token game ──────────────────────────────────────────────────────

  private run(): void {
    for (;;) {
      const next = this.agenda.shift();
      if (next) {
        this.arrive(next);
        continue;
      }
      if (this.scopesToCheck.size > 0) {
        const [scope] = this.scopesToCheck;
        this.scopesToCheck.delete(scope!);
        this.checkScope(scope!);
        continue;
      }
      if (this.fireInclusiveJoins()) continue;
      return;
    }
  }

  private arrive({ elementId, scopeId, via }: Arrival): void {
    if (++this.arrivals > MAX_ARRIVALS) throw runtimeError(elementId, "the step did not reach a wait state");
    const element = this.element(elementId);
    switch (element.type) {
      case "task":
      case "startEvent":
        this.record(element, "completed");
        this.leave(element, scopeId);
        return;
      case "intermediateThrowEvent":
        this.record(element, "completed");
        if (this.throwEvent(element, scopeId)) this.leave(element, scopeId);
        return;
      case "endEvent":
        this.record(element, "completed");
        this.endEvent(element, scopeId);
        return;
      case "exclusiveGateway":
        this.record(element, "completed");
        this.exclusive(element, scopeId);
        return;
      case "parallelGateway":
        this.parallel(element, scopeId, via);
        return;
      case "inclusiveGateway":
        this.inclusiveArrive(element, scopeId, via);
        return;
      case "userTask":
        if (element.multiInstance) this.startMultiInstance(element, scopeId);
        else this.userTask(element, scopeId);
        return;
      case "serviceTask": {
        const token = this.addToken(element, scopeId, "waiting");
        this.jobs.set(`wf:svc:${token.id}`, {
          kind: JOB_SERVICE,
          payload: { instanceId: this.instance.id, tokenId: token.id },
          runAt: this.at,
          dedupeKey: `wf:svc:${token.id}`,
        });
        return;
      }
      case "receiveTask":
      case "intermediateCatchEvent": {
        const token = this.addToken(element, scopeId, "waiting");
        if (element.event?.kind === "timer") this.scheduleTimer(element, token, element.event.timer!);
        else this.subscribe(element, token);
        return;
      }
      case "subProcess": {
        const scope = this.addToken(element, scopeId, "scope");
        this.record(this.element(element.startEvent!), "started");
        this.enqueue(element.startEvent!, scope.id, null);
        return;
      }
      case "callActivity": {
        const token = this.addToken(element, scopeId, "waiting");
        this.followUps.push({
          kind: "startChild",
          parentInstanceId: this.instance.id,
          tokenId: token.id,
          processKey: element.calledElement!,
          variables: { ...this.instance.variables },
        });
        return;
      }
      case "boundaryEvent":
        this.leave(element, scopeId);
        return;
    }
  }

  private enqueue(elementId: string, scopeId: string | null, via: string | null): void {
    this.agenda.push({ elementId, scopeId, via });
  }

  /** Takes the outgoing flows of an element that completed (all of them; conditions only after activities). */
  private leave(element: ElementModel, scopeId: string | null): void {
    if (element.outgoing.length === 0) {
      this.scopesToCheck.add(scopeId);
      return;
    }
    const flows = element.outgoing.filter((id) => {
      const flow = this.model.flows[id]!;
      if (id === element.defaultFlow) return false;
      return !flow.condition || this.condition(flow.condition, flow.id);
    });
    const taken = flows.length > 0 ? flows : element.defaultFlow ? [element.defaultFlow] : [];
    if (taken.length === 0) throw runtimeError(element.id, "no outgoing sequence flow's condition is true");
    for (const id of taken) this.enqueue(this.model.flows[id]!.target, scopeId, id);
  }

  private exclusive(element: ElementModel, scopeId: string | null): void {
    for (const id of element.outgoing) {
      if (id === element.defaultFlow) continue;
      const flow = this.model.flows[id]!;
      if (!flow.condition || this.condition(flow.condition, id)) {
        this.enqueue(flow.target, scopeId, id);
        return;
      }
    }
    if (!element.defaultFlow) throw runtimeError(element.id, "no outgoing sequence flow's condition is true");
    this.enqueue(this.model.flows[element.defaultFlow]!.target, scopeId, element.defaultFlow);
  }

  private parallel(element: ElementModel, scopeId: string | null, via: string | null): void {
    if (element.incoming.length > 1) {
      const token = this.addToken(element, scopeId, "joining");
      token.data.via = via ?? "";
      const waiting = this.joiningAt(element.id, scopeId);
      const byFlow = new Map<string, TokenRow>();
      for (const t of waiting) if (!byFlow.has(t.data.via ?? "")) byFlow.set(t.data.via ?? "", t);
      if (!element.incoming.every((flow) => byFlow.has(flow))) return;
      for (const t of byFlow.values()) this.dropToken(t);
    }
    this.record(element, "completed");
    for (const id of element.outgoing) this.enqueue(this.model.flows[id]!.target, scopeId, id);
  }

  private inclusiveArrive(element: ElementModel, scopeId: string | null, via: string | null): void {
    if (element.incoming.length > 1) {
      const token = this.addToken(element, scopeId, "joining");
      token.data.via = via ?? "";
      return; // fired by fireInclusiveJoins once nothing else can arrive
    }
    this.inclusiveFork(element, scopeId);
  }

  private inclusiveFork(element: ElementModel, scopeId: string | null): void {
    this.record(element, "completed");
    const taken = element.outgoing.filter((id) => {
      if (id === element.defaultFlow) return false;
      const flow = this.model.flows[id]!;
      return !flow.condition || this.condition(flow.condition, id);
    });
    if (taken.length === 0 && element.defaultFlow) taken.push(element.defaultFlow);
    if (taken.length === 0) throw runtimeError(element.id, "no outgoing sequence flow's condition is true");
    for (const id of taken) this.enqueue(this.model.flows[id]!.target, scopeId, id);
  }

  /** An inclusive join fires when no token of its scope can still reach it. */
  private fireInclusiveJoins(): boolean {
    for (const token of this.liveTokens()) {
      if (token.state !== "joining") continue;
      const join = this.element(token.element_id);
      if (join.type !== "inclusiveGateway") continue;
      const reach = new Set(join.reachableFrom ?? []);
      const blocked = this.liveTokens().some((other) => {
        if (other.element_id === join.id && other.state === "joining") return false;
        const inScope = this.ancestorInScope(other, token.scope_id);
        return inScope !== null && reach.has(inScope.element_id);
      });
      if (blocked) continue;
      for (const t of this.joiningAt(join.id, token.scope_id)) this.dropToken(t);
      this.inclusiveFork(join, token.scope_id);
      return true;
    }
    return false;
  }

  /** The token itself or the scope token that contains it, at the level of `scopeId`. */
  private ancestorInScope(token: TokenRow, scopeId: string | null): TokenRow | null {
    let current: TokenRow | undefined = token;
    while (current) {
      if (current.scope_id === scopeId) return current;
      current = current.scope_id ? this.tokens.get(current.scope_id) : undefined;
    }
    return null;
  }

  private endEvent(element: ElementModel, scopeId: string | null): void {
    const kind = element.event?.kind ?? "none";
    if (kind === "terminate") {
      for (const token of this.liveTokens()) {
        if (this.ancestorInScope(token, scopeId)) this.removeToken(token, "cancelled");
      }
    } else if (kind === "error") {
      const scope = scopeId ? this.tokens.get(scopeId) : undefined;
      if (scope) {
        this.throwError(scope, element.event?.code, element);
        return;
      }
      if (this.instance.parent_instance_id) {
        this.followUps.push({
          kind: "errorInParent",
          parentInstanceId: this.instance.parent_instance_id,
          tokenId: this.instance.parent_token_id!,
          code: element.event?.code,
        });
        this.removeAll();
        this.endInstance("completed", `error ${element.event?.code ?? ""}`.trim());
        return;
      }
    } else if (kind === "escalation") {
      this.escalate(element, scopeId);
    } else if (kind === "message") {
      this.publishMessage(element);
    }
    this.scopesToCheck.add(scopeId);
  }

  private throwEvent(element: ElementModel, scopeId: string | null): boolean {
    if (element.event?.kind === "escalation") return this.escalate(element, scopeId);
    if (element.event?.kind === "message") this.publishMessage(element);
    return true;
  }

  private publishMessage(element: ElementModel): void {
    this.events.push({
      topic: "workflow.message.thrown",
      payload: {
        ...this.instancePayload(),
        elementId: element.id,
        messageName: element.event?.messageName ?? null,
      },
    });
  }

  /** Finds the nearest enclosing activity with a matching escalation boundary; false if it interrupted. */
  private escalate(element: ElementModel, scopeId: string | null): boolean {
    let scope = scopeId ? this.tokens.get(scopeId) : undefined;
    while (scope) {
      const host = this.element(scope.element_id);
      const boundary = this.matchingBoundary(host, "escalation", element.event?.code);
      if (boundary) {
        this.record(boundary, "triggered");
        if (boundary.interrupting) {
          this.removeToken(scope, "cancelled");
          this.leave(boundary, scope.scope_id);
          return false;
        }
        this.leave(boundary, scope.scope_id);
        return true;
      }
      scope = scope.scope_id ? this.tokens.get(scope.scope_id) : undefined;
    }
    return true;
  }

  private throwError(at: TokenRow, code: string | undefined, source: ElementModel): void {
    let current: TokenRow | undefined = at;
    while (current) {
      const host = this.element(current.element_id);
      const boundary = this.matchingBoundary(host, "error", code);
      if (boundary) {
        this.record(boundary, "triggered");
        this.removeToken(current, "cancelled");
        this.leave(boundary, current.scope_id);
        return;
      }
      current = current.scope_id ? this.tokens.get(current.scope_id) : undefined;
    }
    if (this.instance.parent_instance_id) {
      this.followUps.push({
        kind: "errorInParent",
        parentInstanceId: this.instance.parent_instance_id,
        tokenId: this.instance.parent_token_id!,
        code,
      });
      this.removeAll();
      this.endInstance("completed", `error ${code ?? ""}`.trim());
      return;
    }
    throw runtimeError(source.id, `BPMN error ${code ?? "(no code)"} is not caught by any boundary event`);
  }

  private matchingBoundary(host: ElementModel, kind: "error" | "escalation", code: string | undefined) {
    const candidates = (host.boundaries ?? [])
      .map((id) => this.element(id))
      .filter((b) => b.event?.kind === kind);
    return (
      candidates.find((b) => b.event?.code !== undefined && b.event.code === code) ??
      candidates.find((b) => b.event?.code === undefined)
    );
  }

  /** When nothing is left in a scope: a subprocess completes, or the instance ends. */
  private checkScope(scopeId: string | null): void {
    if (this.agenda.some((a) => a.scopeId === scopeId)) return;
    if (this.liveTokens().some((t) => t.scope_id === scopeId)) return;
    if (scopeId === null) {
      if (this.instance.state === "active") this.endInstance("completed", null);
      return;
    }
    const scope = this.tokens.get(scopeId);
    if (!scope || this.deletedTokens.has(scopeId) || scope.data.loop) return;
    const element = this.element(scope.element_id);
    this.removeToken(scope, "completed");
    this.leave(element, scope.scope_id);
  }

  private endInstance(state: "completed" | "cancelled", reason: string | null): void {
    this.instance.state = state;
    this.instance.ended_at = this.at;
    this.instance.end_reason = reason;
    this.instanceChanged = true;
    this.events.push({ topic: `workflow.instance.${state}`, payload: { ...this.instancePayload(), reason } });
    if (state === "completed" && this.instance.parent_instance_id && reason === null) {
      this.followUps.push({
        kind: "resumeParent",
        parentInstanceId: this.instance.parent_instance_id,
        tokenId: this.instance.parent_token_id!,
        variables: this.instance.variables,
      });
    }
  }

  private removeAll(): void {
    for (const token of this.liveTokens()) this.removeToken(token, "cancelled");
  }

  // ─── user tasks ──────────────────────────────────────────────────────────

  /** A task's token; an inner instance of a multi-instance task leaves boundaries to its scope token. */
  private userTask(
    element: ElementModel,
    scopeId: string | null,
    local: Variables = {},
    inner = false,
  ): TokenRow {
    const token = this.addToken(element, scopeId, "waiting", !inner, !inner);
    const spec = element.userTask!;
    const scope = { ...this.instance.variables, ...local };
    const assignee = spec.assignee ? this.text(spec.assignee, element.id, scope) : null;
    const groups = spec.candidateGroups.flatMap((g) => this.list(g, element.id, scope));
    const users = spec.candidateUsers.flatMap((u) => this.list(u, element.id, scope));
    const dueAt = spec.dueDate ? this.dueDate(spec.dueDate, element.id, scope) : null;
    const task: TaskRow = {
      id: newId(),
      instance_id: this.instance.id,
      token_id: token.id,
      process_key: this.instance.process_key,
      process_name: this.model.name,
      element_id: element.id,
      name: element.name ?? element.id,
      business_key: this.instance.business_key,
      state: "open",
      assignee: assignee || null,
      candidate_groups: groups,
      candidate_users: users,
      due_at: dueAt,
      form_key: spec.formKey ?? null,
      priority: spec.priority ?? 50,
      local,
      started_by: this.instance.started_by,
      delegated_from: null,
      created_at: this.at,
      completed_at: null,
      completed_by: null,
      outcome: null,
    };
    this.newTasks.set(task.id, task);
    if (dueAt) this.scheduleDue(task);
    this.events.push({
      topic: "workflow.task.created",
      payload: {
        taskId: task.id,
        instanceId: this.instance.id,
        processKey: this.instance.process_key,
        elementId: element.id,
        name: task.name,
        assignee: task.assignee,
        candidateGroups: groups,
        candidateUsers: users,
        dueAt,
        businessKey: this.instance.business_key,
      },
    });
    return token;
  }

  private scheduleDue(task: TaskRow): void {
    const due = new Date(task.due_at!);
    const created = new Date(task.created_at);
    // Remind a working day ahead (24 h), or half-way through a shorter allowance.
    const lead = Math.min(86_400_000, (due.getTime() - created.getTime()) / 2);
    const remindAt = new Date(due.getTime() - Math.max(0, lead));
    for (const [stage, at] of [
      ["reminder", remindAt],
      ["overdue", due],
    ] as const) {
      const key = `wf:due:${task.id}:${stage}`;
      this.jobs.set(key, {
        kind: JOB_DUE,
        payload: { taskId: task.id, stage },
        runAt: at.toISOString(),
        dedupeKey: key,
      });
    }
  }

  private startMultiInstance(element: ElementModel, scopeId: string | null): void {
    const spec = element.multiInstance!;
    let items: unknown[] | null = null;
    let total: number;
    if (spec.collection) {
      const value = this.value(spec.collection, element.id);
      if (!Array.isArray(value))
        throw runtimeError(element.id, "the multi-instance collection is not a list");
      items = value;
      total = value.length;
    } else {
      const value = Number(this.value(spec.cardinality!, element.id));
      if (!Number.isInteger(value) || value < 0 || value > 1000)
        throw runtimeError(element.id, "loopCardinality must be an integer from 0 to 1000");
      total = value;
    }
    this.record(element, "started");
    if (total === 0) {
      this.record(element, "completed");
      this.leave(element, scopeId);
      return;
    }
    const scope = this.addToken(element, scopeId, "scope", false);
    scope.data.loop = { total, completed: 0, approvals: 0, rejections: 0, items, next: 0 };
    const count = spec.sequential ? 1 : total;
    for (let i = 0; i < count; i++) this.startInner(element, scope, i);
    scope.data.loop.next = count;
  }

  private startInner(element: ElementModel, scope: TokenRow, index: number): void {
    const loop = scope.data.loop!;
    const spec = element.multiInstance!;
    const local: Variables = { loopCounter: index };
    if (loop.items && spec.elementVariable) local[spec.elementVariable] = loop.items[index];
    const inner = this.userTask(element, scope.id, local, true);
    inner.data.index = index;
  }

  private completeInnerInstance(element: ElementModel, token: TokenRow, variables: Variables): void {
    const scope = this.requireToken(token.scope_id!);
    const loop = scope.data.loop!;
    this.removeToken(token, "completed", false);
    loop.completed += 1;
    if (variables.approved === true) loop.approvals += 1;
    if (variables.approved === false) loop.rejections += 1;
    this.changedTokens.add(scope.id);
    const active = this.liveTokens().filter((t) => t.scope_id === scope.id).length;
    const counters = {
      nrOfInstances: loop.total,
      nrOfCompletedInstances: loop.completed,
      nrOfActiveInstances: active,
      nrOfApprovals: loop.approvals,
      nrOfRejections: loop.rejections,
      loopCounter: token.data.index ?? 0,
    };
    const condition = element.multiInstance!.completionCondition;
    const done =
      loop.completed >= loop.total ||
      (condition !== undefined && this.condition(condition, element.id, counters));
    this.setVariables({ nrOfApprovals: loop.approvals, nrOfRejections: loop.rejections });
    if (!done) {
      if (element.multiInstance!.sequential && active === 0) {
        this.startInner(element, scope, loop.next);
        loop.next += 1;
      }
      return;
    }
    for (const other of this.liveTokens())
      if (other.scope_id === scope.id) this.removeToken(other, "cancelled", false);
    this.removeToken(scope, "completed");
    this.leave(element, scope.scope_id);
  }

  // ─── tokens, timers, messages ────────────────────────────────────────────

  private addToken(
    element: ElementModel,
    scopeId: string | null,
    state: TokenRow["state"],
    record = true,
    arm = true,
  ): TokenRow {
    const token: TokenRow = {
      id: newId(),
      instance_id: this.instance.id,
      element_id: element.id,
      scope_id: scopeId,
      state,
      data: {},
      created_at: this.at,
    };
    this.tokens.set(token.id, token);
    this.newTokens.add(token.id);
    if (record && state !== "joining") this.record(element, "started");
    if (arm && state !== "joining") this.armBoundaries(element, token);
    return token;
  }

  /** Removes a token, everything inside it, and what was waiting on it (tasks, timers, messages). */
  private removeToken(token: TokenRow, how: "completed" | "cancelled", record = true): void {
    if (this.deletedTokens.has(token.id)) return;
    for (const inner of this.liveTokens())
      if (inner.scope_id === token.id) this.removeToken(inner, "cancelled");
    this.dropToken(token);
    const element = this.element(token.element_id);
    if (record && (how === "cancelled" || token.state !== "joining")) this.record(element, how);
    if (element.type === "userTask" && token.state === "waiting") {
      if (how === "cancelled") this.cancelTasksOfTokens.add(token.id);
    }
    if (element.type === "serviceTask") this.cancelJobs.add(`wf:svc:${token.id}`);
    if (element.type === "callActivity" && how === "cancelled" && token.data.child) {
      this.followUps.push({ kind: "cancelChild", instanceId: token.data.child });
    }
    if (element.event?.kind === "timer" && element.type === "intermediateCatchEvent") {
      this.cancelJobs.add(`wf:timer:${token.id}:${element.id}`);
    }
    if (element.event?.kind === "message" || element.type === "receiveTask")
      this.dropSubscriptionsOfTokens.add(token.id);
    for (const boundaryId of element.boundaries ?? []) {
      const boundary = this.element(boundaryId);
      if (boundary.event?.kind === "timer") this.cancelJobs.add(`wf:timer:${token.id}:${boundaryId}`);
      if (boundary.event?.kind === "message") this.dropSubscriptionsOfTokens.add(token.id);
    }
  }

  /** Forgets a token without side effects (a join consuming its arrivals). */
  private dropToken(token: TokenRow): void {
    this.deletedTokens.add(token.id);
    if (this.newTokens.delete(token.id)) this.tokens.delete(token.id);
  }

  private armBoundaries(element: ElementModel, token: TokenRow): void {
    for (const boundaryId of element.boundaries ?? []) {
      const boundary = this.element(boundaryId);
      if (boundary.event?.kind === "timer") this.scheduleTimer(boundary, token, boundary.event.timer!);
      if (boundary.event?.kind === "message") this.subscribe(boundary, token);
    }
  }

  scheduleTimer(element: ElementModel, token: TokenRow, timer: TimerSpec, after?: Date): void {
    const schedule = this.timerSchedule(timer, element.id, after);
    const key = `wf:timer:${token.id}:${element.id}`;
    this.jobs.set(key, {
      kind: JOB_TIMER,
      payload: {
        instanceId: this.instance.id,
        tokenId: token.id,
        elementId: element.id,
        repeat: schedule.repeat ?? null,
      },
      runAt: schedule.at.toISOString(),
      dedupeKey: key,
    });
  }

  private timerSchedule(timer: TimerSpec, elementId: string, after?: Date) {
    const now = after ?? this.deps.now;
    if (!isExpression(timer.value)) return parseTimer(timer, now);
    const value = this.value(timer.value, elementId);
    if (value instanceof Date) return { at: value };
    if (typeof value === "string") {
      try {
        return parseTimer(
          { kind: isDuration(value) ? "duration" : timer.kind === "cycle" ? "cycle" : "date", value },
          now,
        );
      } catch (e) {
        throw runtimeError(elementId, (e as Error).message);
      }
    }
    throw runtimeError(
      elementId,
      `the timer expression gave ${JSON.stringify(value)}, not a date or duration`,
    );
  }

  private subscribe(element: ElementModel, token: TokenRow): void {
    const key = element.event?.correlationKey;
    this.newSubscriptions.push({
      id: newId(),
      instance_id: this.instance.id,
      token_id: token.id,
      element_id: element.id,
      message_name: element.event?.messageName ?? "",
      correlation_key: key ? String(this.value(key, element.id) ?? "") : null,
      created_at: this.at,
    });
  }

  // ─── values ──────────────────────────────────────────────────────────────

  private condition(source: string, elementId: string, extra: Variables = {}): boolean {
    return this.value(source, elementId, { ...this.instance.variables, ...extra }) === true;
  }

  private value(source: string, elementId: string, scope: Variables = this.instance.variables): unknown {
    try {
      return evaluate(compiledExpression(source), scope, this.deps.functions);
    } catch (e) {
      throw runtimeError(elementId, (e as Error).message);
    }
  }

  /** A literal, or an expression when it has `${…}` / starts with `=`. */
  private text(source: string, elementId: string, scope: Variables): string {
    if (!isExpression(source)) return source;
    const value = this.value(source, elementId, scope);
    return value === null || value === undefined ? "" : String(value);
  }

  private list(source: string, elementId: string, scope: Variables): string[] {
    if (!isExpression(source)) return [source];
    const value = this.value(source, elementId, scope);
    const items = Array.isArray(value) ? value : String(value ?? "").split(",");
    return items.map((v) => String(v).trim()).filter(Boolean);
  }

  private dueDate(source: string, elementId: string, scope: Variables): string {
    const value = isExpression(source) ? this.value(source, elementId, scope) : source;
    try {
      if (value instanceof Date) return value.toISOString();
      if (typeof value === "string" && isDuration(value))
        return addDuration(this.deps.now, value).toISOString();
      if (typeof value === "string") return parseDateTime(value).toISOString();
    } catch (e) {
      throw runtimeError(elementId, (e as Error).message);
    }
    throw runtimeError(elementId, `the due date ${JSON.stringify(value)} is not a date or duration`);
  }

  setVariables(variables: Variables): void {
    if (Object.keys(variables).length === 0) return;
    this.instance.variables = { ...this.instance.variables, ...variables };
    this.instanceChanged = true;
  }

  // ─── helpers ─────────────────────────────────────────────────────────────

  element(id: string): ElementModel {
    const element = this.model.elements[id];
    if (!element) throw runtimeError(id, "the element is not in this process version");
    return element;
  }

  requireToken(id: string): TokenRow {
    const token = this.tokens.get(id);
    if (!token || this.deletedTokens.has(id)) {
      throw new AppError(WorkflowErrors.TOKEN_GONE, { message: "the instance has moved on from this point" });
    }
    return token;
  }

  liveTokens(): TokenRow[] {
    return [...this.tokens.values()].filter((t) => !this.deletedTokens.has(t.id));
  }

  private joiningAt(elementId: string, scopeId: string | null): TokenRow[] {
    return this.liveTokens().filter(
      (t) => t.element_id === elementId && t.state === "joining" && t.scope_id === scopeId,
    );
  }

  private record(element: ElementModel, event: HistoryRow["event"]): void {
    this.history.push({
      id: newId(),
      instance_id: this.instance.id,
      element_id: element.id,
      element_type: element.type,
      element_name: element.name,
      event,
      actor_id: this.deps.actorId,
      at: this.at,
    });
  }

  instancePayload() {
    return {
      instanceId: this.instance.id,
      processKey: this.instance.process_key,
      version: this.instance.version,
      businessKey: this.instance.business_key,
      startedBy: this.instance.started_by,
    };
  }
}
