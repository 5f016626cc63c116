import { BpmnModdle } from "bpmn-moddle";
import { ExpressionError, isExpression, parseExpression } from "./expressions/expressions";
import type {
  ElementModel,
  ElementType,
  EventSpec,
  FlowModel,
  FormSchema,
  MultiInstanceSpec,
  ProcessModel,
  TimerSpec,
  UserTaskSpec,
} from "./model";
import { WAIT_TYPES } from "./model";
import { parseTimer } from "./timers";

/** A reason a model cannot be deployed, tied to the element at fault where there is one. */
export interface ModelProblem {
  elementId: string | null;
  message: string;
}

export interface CompileOptions {
  /** Names of the service-task handlers modules registered. */
  handlers: ReadonlySet<string>;
  /** Form schemas registered by key (a user task's formKey may name one). */
  forms: ReadonlyMap<string, FormSchema>;
}

export interface CompiledProcess {
  model: ProcessModel;
  /** Whether the document marks it executable (or, when none is marked, it has flow elements). */
  executable: boolean;
}

export interface CompileResult {
  processes: CompiledProcess[];
  problems: ModelProblem[];
}

/** Extension namespaces whose assignment/condition attributes we read, as the modelling tools write them. */
const CAMUNDA_LIKE = new Set([
  "http://camunda.org/schema/1.0/bpmn",
  "http://flowable.org/bpmn",
  "http://activiti.org/bpmn",
  "https://fourfold.dev/schema/bpmn",
]);
const ZEEBE = "http://camunda.org/schema/zeebe/1.0";

const IGNORED = new Set([
  "bpmn:DataObject",
  "bpmn:DataObjectReference",
  "bpmn:DataStoreReference",
  "bpmn:TextAnnotation",
  "bpmn:Association",
  "bpmn:Group",
]);

const ELEMENT_TYPES: Record<string, ElementType> = {
  "bpmn:StartEvent": "startEvent",
  "bpmn:EndEvent": "endEvent",
  "bpmn:Task": "task",
  "bpmn:ManualTask": "task",
  "bpmn:UserTask": "userTask",
  "bpmn:ServiceTask": "serviceTask",
  "bpmn:SendTask": "serviceTask",
  "bpmn:BusinessRuleTask": "serviceTask",
  "bpmn:ReceiveTask": "receiveTask",
  "bpmn:ExclusiveGateway": "exclusiveGateway",
  "bpmn:ParallelGateway": "parallelGateway",
  "bpmn:InclusiveGateway": "inclusiveGateway",
  "bpmn:IntermediateCatchEvent": "intermediateCatchEvent",
  "bpmn:IntermediateThrowEvent": "intermediateThrowEvent",
  "bpmn:BoundaryEvent": "boundaryEvent",
  "bpmn:SubProcess": "subProcess",
  "bpmn:CallActivity": "callActivity",
};

const UNSUPPORTED_REASON: Record<string, string> = {
  "bpmn:ScriptTask": "script tasks are not run (scripts are not allowed); use a service task",
  "bpmn:ComplexGateway": "complex gateways are not supported",
  "bpmn:EventBasedGateway": "event-based gateways are not supported",
  "bpmn:Transaction": "transaction subprocesses are not supported",
  "bpmn:AdHocSubProcess": "ad-hoc subprocesses are not supported",
};

/** Which event definitions each kind of event may carry. */
const ALLOWED_EVENTS: Partial<Record<ElementType, ReadonlySet<string>>> = {
  startEvent: new Set(["none", "message", "timer"]),
  endEvent: new Set(["none", "terminate", "error", "escalation", "message"]),
  intermediateCatchEvent: new Set(["message", "timer"]),
  intermediateThrowEvent: new Set(["none", "escalation", "message"]),
  boundaryEvent: new Set(["timer", "error", "escalation", "message"]),
};

// bpmn-moddle's objects are loosely typed; this is the shape we read from them.
interface Node {
  $type: string;
  id?: string;
  name?: string;
  $attrs?: Record<string, string>;
  $children?: Node[];
  $parent?: Node;
  body?: string;
  [key: string]: unknown;
}

class Namespaces {
  private readonly uris = new Map<string, string>();
  constructor(definitions: Node) {
    for (const [name, uri] of Object.entries(definitions.$attrs ?? {})) {
      if (name.startsWith("xmlns:")) this.uris.set(name.slice(6), uri);
    }
  }
  uri(qualified: string): string | undefined {
    const colon = qualified.indexOf(":");
    return colon < 0 ? undefined : this.uris.get(qualified.slice(0, colon));
  }
  local(qualified: string): string {
    return qualified.slice(qualified.indexOf(":") + 1);
  }
  /** An extension attribute (camunda:assignee, flowable:assignee, fourfold:handler …). */
  attr(node: Node, local: string): string | undefined {
    for (const [name, value] of Object.entries(node.$attrs ?? {})) {
      if (this.local(name) === local && CAMUNDA_LIKE.has(this.uri(name) ?? "")) return value;
    }
    return undefined;
  }
  /** Extension elements of the given namespaces and local name, e.g. zeebe:taskDefinition. */
  extensions(node: Node, local: string, uris: ReadonlySet<string> | string): Node[] {
    const values = ((node.extensionElements as Node | undefined)?.values as Node[] | undefined) ?? [];
    const wanted = typeof uris === "string" ? new Set([uris]) : uris;
    return values.filter((v) => this.local(v.$type) === local && wanted.has(this.uri(v.$type) ?? ""));
  }
}

const moddle = new BpmnModdle();

/** Parses a BPMN 2.0 document and compiles each of its processes, collecting every problem found. */
export async function compileBpmn(xml: string, options: CompileOptions): Promise<CompileResult> {
  let definitions: Node;
  try {
    const parsed = await moddle.fromXML(xml);
    definitions = parsed.rootElement as unknown as Node;
    // Unresolved references elsewhere (vendor extensions, diagram data) do not stop a model; a
    // sequence flow without its ends is reported where it is compiled.
  } catch (e) {
    const message = (e as Error).message.split("\n")[0] ?? "not a BPMN 2.0 document";
    const warning = (e as { warnings?: { message: string }[] }).warnings?.[0]?.message.split("\n");
    return {
      processes: [],
      problems: [{ elementId: null, message: `Not a BPMN 2.0 document: ${warning?.[0] ?? message}` }],
    };
  }
  const ns = new Namespaces(definitions);
  const roots = ((definitions.rootElements as Node[] | undefined) ?? []).filter(
    (r) => r.$type === "bpmn:Process",
  );
  if (roots.length === 0) return { processes: [], problems: [{ elementId: null, message: "no process" }] };
  const anyExecutable = roots.some((p) => p.isExecutable === true);
  const processes: CompiledProcess[] = [];
  const problems: ModelProblem[] = [];
  for (const process of roots) {
    const hasFlow = ((process.flowElements as Node[] | undefined) ?? []).length > 0;
    const executable = anyExecutable ? process.isExecutable === true : hasFlow;
    const compiler = new ProcessCompiler(process, ns, options);
    const model = compiler.compile();
    processes.push({ model, executable });
    if (executable) problems.push(...compiler.problems);
  }
  if (!processes.some((p) => p.executable)) {
    problems.push({ elementId: null, message: "no executable process with flow elements" });
  }
  return { processes, problems };
}

class ProcessCompiler {
  readonly problems: ModelProblem[] = [];
  private readonly elements: Record<string, ElementModel> = {};
  private readonly flows: Record<string, FlowModel> = {};
  private readonly nodes = new Map<string, Node>();

  constructor(
    private readonly process: Node,
    private readonly ns: Namespaces,
    private readonly options: CompileOptions,
  ) {}

  private problem(elementId: string | null | undefined, message: string): void {
    // An element written without an id (malformed XML read leniently) is reported without one.
    this.problems.push({ elementId: elementId ?? null, message });
  }

  compile(): ProcessModel {
    const key = this.process.id ?? "process";
    if (!/^[A-Za-z_][\w.-]{0,99}$/.test(key)) {
      this.problem(key, "process id must be an XML NCName of at most 100 characters");
    }
    this.collect(this.process, "");
    for (const flow of Object.values(this.flows)) {
      this.elements[flow.source]?.outgoing.push(flow.id);
      this.elements[flow.target]?.incoming.push(flow.id);
    }
    for (const element of Object.values(this.elements)) this.check(element);
    this.checkScopes();
    this.checkWaitFreeCycles();
    this.computeInclusiveReach();
    const root = Object.values(this.elements).filter((e) => e.scope === "");
    const starts = root.filter((e) => e.type === "startEvent");
    const noneStart = starts.find((e) => e.event?.kind === "none");
    const startNode = noneStart ? this.nodes.get(noneStart.id) : undefined;
    return {
      key,
      name: (this.process.name as string | undefined) ?? key,
      elements: this.elements,
      flows: this.flows,
      startEvent: noneStart?.id ?? null,
      messageStarts: starts
        .filter((e) => e.event?.kind === "message")
        .map((e) => ({ elementId: e.id, messageName: e.event!.messageName! })),
      timerStarts: starts
        .filter((e) => e.event?.kind === "timer")
        .map((e) => ({ elementId: e.id, timer: e.event!.timer! })),
      startForm: (startNode && this.formOf(startNode)) || null,
      starterGroups: splitList(this.ns.attr(this.process, "candidateStarterGroups")),
      starterUsers: splitList(this.ns.attr(this.process, "candidateStarterUsers")),
    };
  }

  private collect(container: Node, scope: string): void {
    for (const node of (container.flowElements as Node[] | undefined) ?? []) {
      const id = node.id ?? "";
      if (node.$type === "bpmn:SequenceFlow") {
        if (!(node.sourceRef as Node | undefined)?.id || !(node.targetRef as Node | undefined)?.id) {
          this.problem(id, "the sequence flow's source or target does not exist");
          continue;
        }
        this.flows[id] = {
          id,
          name: node.name ?? null,
          source: (node.sourceRef as Node).id!,
          target: (node.targetRef as Node).id!,
          ...this.conditionOf(node),
        };
        continue;
      }
      if (IGNORED.has(node.$type)) continue;
      const type = ELEMENT_TYPES[node.$type];
      if (!type) {
        this.problem(id, UNSUPPORTED_REASON[node.$type] ?? `${node.$type.slice(5)} is not supported`);
        continue;
      }
      if (type === "subProcess" && node.triggeredByEvent === true) {
        this.problem(id, "event subprocesses are not supported");
        continue;
      }
      this.nodes.set(id, node);
      this.elements[id] = this.element(node, type, scope);
      if (type === "subProcess") this.collect(node, id);
    }
  }

  private element(node: Node, type: ElementType, scope: string): ElementModel {
    const id = node.id!;
    const element: ElementModel = { id, name: node.name ?? null, type, scope, incoming: [], outgoing: [] };
    const defaultFlow = (node.default as Node | undefined)?.id;
    if (defaultFlow) element.defaultFlow = defaultFlow;
    if (type.endsWith("Event")) element.event = this.eventOf(node, type);
    if (type === "receiveTask") {
      const message = node.messageRef as Node | undefined;
      element.event = { kind: "message", messageName: message?.name ?? message?.id ?? "" };
      if (!message) this.problem(id, "a receive task needs a message");
      this.correlation(node, element.event);
    }
    if (type === "boundaryEvent") {
      element.attachedTo = (node.attachedToRef as Node | undefined)?.id ?? "";
      element.interrupting = node.cancelActivity !== false;
    }
    if (type === "userTask") element.userTask = this.userTaskOf(node);
    if (type === "serviceTask") {
      const handler = this.handlerOf(node);
      if (!handler) this.problem(id, "a service task needs a handler (fourfold:handler or camunda:topic)");
      else if (!this.options.handlers.has(handler)) this.problem(id, `unknown service handler "${handler}"`);
      else element.handler = handler;
    }
    if (type === "callActivity") {
      const zeebe = this.ns.extensions(node, "calledElement", ZEEBE)[0];
      const called = (node.calledElement as string | undefined) ?? (zeebe?.processId as string | undefined);
      if (!called) this.problem(id, "a call activity needs calledElement");
      else element.calledElement = called;
    }
    const loop = node.loopCharacteristics as Node | undefined;
    if (loop) {
      if (loop.$type !== "bpmn:MultiInstanceLoopCharacteristics") {
        this.problem(id, "standard loops are not supported; use multi-instance");
      } else if (type !== "userTask") {
        this.problem(id, "multi-instance is supported on user tasks only");
      } else {
        element.multiInstance = this.multiInstanceOf(loop, id);
      }
    }
    return element;
  }

  private eventOf(node: Node, type: ElementType): EventSpec {
    const id = node.id!;
    const definitions = (node.eventDefinitions as Node[] | undefined) ?? [];
    if (definitions.length > 1) {
      this.problem(id, "events with several definitions are not supported");
    }
    const definition = definitions[0];
    const kind = definition
      ? ({
          "bpmn:MessageEventDefinition": "message",
          "bpmn:TimerEventDefinition": "timer",
          "bpmn:ErrorEventDefinition": "error",
          "bpmn:EscalationEventDefinition": "escalation",
          "bpmn:TerminateEventDefinition": "terminate",
        }[definition.$type] as EventSpec["kind"] | undefined)
      : "none";
    if (!kind || !ALLOWED_EVENTS[type]?.has(kind)) {
      const what = definition ? definition.$type.slice(5).replace("EventDefinition", "") : "none";
      this.problem(id, `a ${what.toLowerCase()} ${type} is not supported`);
      return { kind: "none" };
    }
    const event: EventSpec = { kind };
    if (kind === "message") {
      const message = definition!.messageRef as Node | undefined;
      event.messageName = message?.name ?? message?.id ?? "";
      if (!message && type !== "endEvent" && type !== "intermediateThrowEvent") {
        this.problem(id, "a message event needs a message");
      }
      this.correlation(node, event);
    }
    if (kind === "timer") {
      const timer = this.timerOf(definition!);
      if (!timer) this.problem(id, "a timer needs timeDuration, timeDate or timeCycle");
      else {
        const error = checkTimer(timer);
        if (error) this.problem(id, error);
        event.timer = timer;
      }
    }
    if (kind === "error") {
      const code = (definition!.errorRef as Node | undefined)?.errorCode as string | undefined;
      if (code) event.code = code;
    }
    if (kind === "escalation") {
      const code = (definition!.escalationRef as Node | undefined)?.escalationCode as string | undefined;
      if (code) event.code = code;
    }
    return event;
  }

  private correlation(node: Node, event: EventSpec): void {
    const zeebe = this.ns.extensions(
      (event.messageName !== undefined ? this.messageNode(node) : undefined) ?? node,
      "subscription",
      ZEEBE,
    )[0];
    const key = this.ns.attr(node, "correlationKey") ?? (zeebe?.correlationKey as string | undefined);
    if (key) {
      this.expression(node.id!, key);
      event.correlationKey = key;
    }
  }

  private messageNode(node: Node): Node | undefined {
    const definitions = (node.eventDefinitions as Node[] | undefined) ?? [];
    return ((definitions[0]?.messageRef ?? node.messageRef) as Node | undefined) ?? undefined;
  }

  private timerOf(definition: Node): TimerSpec | null {
    for (const kind of ["timeDuration", "timeDate", "timeCycle"] as const) {
      const body = (definition[kind] as Node | undefined)?.body?.trim();
      if (body) return { kind: kind.slice(4).toLowerCase() as TimerSpec["kind"], value: body };
    }
    return null;
  }

  private conditionOf(node: Node): { condition?: string } {
    const body = (node.conditionExpression as Node | undefined)?.body?.trim();
    if (!body) return {};
    this.expression(node.id!, body);
    return { condition: body };
  }

  private expression(elementId: string, source: string): void {
    try {
      parseExpression(source);
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      this.problem(elementId, `invalid expression "${source}": ${e.message}`);
    }
  }

  private userTaskOf(node: Node): UserTaskSpec {
    const id = node.id!;
    const zeebe = this.ns.extensions(node, "assignmentDefinition", ZEEBE)[0];
    const spec: UserTaskSpec = {
      candidateGroups: splitList(
        this.ns.attr(node, "candidateGroups") ?? (zeebe?.candidateGroups as string | undefined),
      ),
      candidateUsers: splitList(
        this.ns.attr(node, "candidateUsers") ?? (zeebe?.candidateUsers as string | undefined),
      ),
    };
    const assignee = this.ns.attr(node, "assignee") ?? (zeebe?.assignee as string | undefined);
    if (assignee) {
      this.expression(id, assignee);
      spec.assignee = assignee;
    }
    // The standard's potentialOwner: "user(x)", "group(y)" or a plain group name, or a resource.
    for (const role of (node.resources as Node[] | undefined) ?? []) {
      if (role.$type !== "bpmn:PotentialOwner" && role.$type !== "bpmn:HumanPerformer") continue;
      const expression = (role.resourceAssignmentExpression as Node | undefined)?.expression as
        | Node
        | undefined;
      const names = splitList(expression?.body ?? (role.resourceRef as Node | undefined)?.name);
      for (const name of names) {
        const match = /^(user|group)\((.+)\)$/.exec(name);
        if (match?.[1] === "user") spec.candidateUsers.push(match[2]!.trim());
        else spec.candidateGroups.push(match ? match[2]!.trim() : name);
      }
    }
    const schedule = this.ns.extensions(node, "taskSchedule", ZEEBE)[0];
    const due = this.ns.attr(node, "dueDate") ?? (schedule?.dueDate as string | undefined);
    if (due) {
      const error = isExpression(due) ? null : checkTimer({ kind: "date", value: due });
      const durationError = error ? checkTimer({ kind: "duration", value: due }) : null;
      if (error && durationError)
        this.problem(id, `dueDate "${due}" is not an ISO date, duration or expression`);
      if (isExpression(due)) this.expression(id, due);
      spec.dueDate = due;
    }
    const formDefinition = this.ns.extensions(node, "formDefinition", ZEEBE)[0];
    const formKey = this.ns.attr(node, "formKey") ?? (formDefinition?.formKey as string | undefined);
    if (formKey) spec.formKey = formKey;
    const form = this.formOf(node) ?? (formKey ? this.options.forms.get(formKey) : undefined);
    if (form) spec.form = form;
    const priority = this.ns.attr(node, "priority");
    if (priority !== undefined) {
      const value = Number(priority);
      if (!Number.isInteger(value) || value < 0 || value > 100)
        this.problem(id, "priority must be an integer from 0 to 100");
      else spec.priority = value;
    }
    return spec;
  }

  private handlerOf(node: Node): string | undefined {
    const zeebe = this.ns.extensions(node, "taskDefinition", ZEEBE)[0];
    const delegate = this.ns.attr(node, "delegateExpression");
    return (
      this.ns.attr(node, "handler") ??
      this.ns.attr(node, "topic") ??
      (zeebe?.type as string | undefined) ??
      (delegate ? /^[$#]\{\s*([\w.-]+)\s*\}$/.exec(delegate)?.[1] : undefined)
    );
  }

  private multiInstanceOf(loop: Node, id: string): MultiInstanceSpec {
    const zeebe = this.ns.extensions(loop, "loopCharacteristics", ZEEBE)[0];
    const spec: MultiInstanceSpec = { sequential: loop.isSequential === true };
    const cardinality = (loop.loopCardinality as Node | undefined)?.body?.trim();
    const collection = this.ns.attr(loop, "collection") ?? (zeebe?.inputCollection as string | undefined);
    const elementVariable =
      this.ns.attr(loop, "elementVariable") ?? (zeebe?.inputElement as string | undefined);
    const completion = (loop.completionCondition as Node | undefined)?.body?.trim();
    if (cardinality) {
      this.expression(id, cardinality);
      spec.cardinality = cardinality;
    }
    if (collection) {
      // Camunda 7 names the variable; an expression is also accepted.
      const source = /^[A-Za-z_]\w*$/.test(collection) ? `\${${collection}}` : collection;
      this.expression(id, source);
      spec.collection = source;
    }
    if (elementVariable) spec.elementVariable = elementVariable;
    if (completion) {
      this.expression(id, completion);
      spec.completionCondition = completion;
    }
    if (!cardinality && !collection) this.problem(id, "multi-instance needs loopCardinality or a collection");
    return spec;
  }

  /** camunda:formData fields as a JSON Schema (Camunda 7's generated task forms). */
  private formOf(node: Node): FormSchema | undefined {
    const data = this.ns.extensions(node, "formData", CAMUNDA_LIKE)[0];
    if (!data) return undefined;
    const schema: FormSchema = { type: "object", properties: {}, required: [] };
    for (const field of data.$children ?? []) {
      if (this.ns.local(field.$type) !== "formField" || typeof field.id !== "string") continue;
      const property: Record<string, unknown> = {};
      const type = (field.type as string | undefined) ?? "string";
      if (type === "long") property.type = "integer";
      else if (type === "boolean") property.type = "boolean";
      else if (type === "date") Object.assign(property, { type: "string", format: "date" });
      else if (type === "enum") {
        const values = (field.$children ?? []).filter((c) => this.ns.local(c.$type) === "value");
        property.type = "string";
        property.enum = values.map((v) => v.id);
        property["x-enumNames"] = values.map((v) => v.name ?? v.id);
      } else property.type = "string";
      if (typeof field.label === "string") property.title = field.label;
      if (field.defaultValue !== undefined) property.default = field.defaultValue;
      for (const validation of field.$children ?? []) {
        if (this.ns.local(validation.$type) !== "validation") continue;
        for (const constraint of validation.$children ?? []) {
          const name = constraint.name as string | undefined;
          const config = constraint.config as string | undefined;
          if (name === "required") schema.required!.push(field.id);
          else if (name === "readonly") property.readOnly = true;
          else if (name === "minlength") property.minLength = Number(config);
          else if (name === "maxlength") property.maxLength = Number(config);
          else if (name === "min") property.minimum = Number(config);
          else if (name === "max") property.maximum = Number(config);
        }
      }
      schema.properties[field.id] = property;
    }
    return schema;
  }

  private check(element: ElementModel): void {
    const { id, type } = element;
    for (const flowId of element.outgoing) {
      const flow = this.flows[flowId]!;
      const target = this.elements[flow.target];
      if (target && target.scope !== element.scope) {
        this.problem(flowId, "a sequence flow cannot cross a subprocess boundary");
      }
    }
    if (type === "startEvent" && element.incoming.length > 0) {
      this.problem(id, "a start event cannot have incoming sequence flows");
    }
    if (type === "boundaryEvent") {
      const host = this.elements[element.attachedTo ?? ""];
      if (!host || host.type.endsWith("Event") || host.type.endsWith("Gateway")) {
        this.problem(id, "a boundary event must be attached to an activity");
      } else {
        host.boundaries = [...(host.boundaries ?? []), id];
        element.scope = host.scope;
      }
      if (element.incoming.length > 0) this.problem(id, "a boundary event cannot have incoming flows");
      if (element.event?.kind === "error" && !element.interrupting) {
        this.problem(id, "an error boundary event is always interrupting");
      }
    } else if (type !== "startEvent" && element.incoming.length === 0) {
      this.problem(id, "has no incoming sequence flow");
    }
    if (type === "endEvent" && element.outgoing.length > 0) {
      this.problem(id, "an end event cannot have outgoing sequence flows");
    }
    if (type === "exclusiveGateway" || type === "inclusiveGateway") {
      if (element.defaultFlow && !element.outgoing.includes(element.defaultFlow)) {
        this.problem(id, "the default flow must be one of the gateway's outgoing flows");
      }
    } else {
      for (const flowId of element.outgoing) {
        if (
          this.flows[flowId]!.condition &&
          type !== "boundaryEvent" &&
          !type.endsWith("Task") &&
          type !== "task"
        ) {
          this.problem(
            flowId,
            "only flows leaving an exclusive or inclusive gateway (or an activity) may have a condition",
          );
        }
      }
    }
    if (type === "parallelGateway") {
      for (const flowId of element.outgoing) {
        if (this.flows[flowId]!.condition)
          this.problem(flowId, "a parallel gateway ignores conditions; remove it");
      }
    }
  }

  private checkScopes(): void {
    const scopes = new Set([
      "",
      ...Object.values(this.elements)
        .filter((e) => e.type === "subProcess")
        .map((e) => e.id),
    ]);
    for (const scope of scopes) {
      const starts = Object.values(this.elements).filter((e) => e.scope === scope && e.type === "startEvent");
      if (scope === "") {
        const none = starts.filter((s) => s.event?.kind === "none");
        if (starts.length === 0) this.problem(this.process.id ?? null, "the process has no start event");
        if (none.length > 1) this.problem(none[1]!.id, "a process can have only one none start event");
        continue;
      }
      const sub = this.elements[scope]!;
      if (starts.length !== 1 || starts[0]!.event?.kind !== "none") {
        this.problem(scope, "an embedded subprocess needs exactly one none start event");
      } else sub.startEvent = starts[0]!.id;
    }
  }

  /** A cycle through gateways and pass-through tasks only would spin for ever inside one step. */
  private checkWaitFreeCycles(): void {
    const state = new Map<string, "visiting" | "done">();
    const visit = (id: string): boolean => {
      const element = this.elements[id];
      if (!element || WAIT_TYPES.has(element.type)) return false;
      if (state.get(id) === "done") return false;
      if (state.get(id) === "visiting") {
        this.problem(id, "a cycle through this element has no wait state (user task, message or timer)");
        return true;
      }
      state.set(id, "visiting");
      for (const flowId of element.outgoing) {
        if (visit(this.flows[flowId]!.target)) return true;
      }
      state.set(id, "done");
      return false;
    };
    for (const id of Object.keys(this.elements)) if (visit(id)) return;
  }

  /** For each inclusive join, the elements of its scope from which a token could still arrive. */
  private computeInclusiveReach(): void {
    for (const join of Object.values(this.elements)) {
      if (join.type !== "inclusiveGateway" || join.incoming.length < 2) continue;
      const reach = new Set<string>();
      const stack = [join.id];
      while (stack.length > 0) {
        const id = stack.pop()!;
        const element = this.elements[id];
        if (!element) continue;
        for (const flowId of element.incoming) {
          const source = this.flows[flowId]!.source;
          if (!reach.has(source) && source !== join.id) {
            reach.add(source);
            stack.push(source);
          }
        }
        // A token waiting in a boundary's host can leave through the boundary.
        if (element.type === "boundaryEvent" && element.attachedTo && !reach.has(element.attachedTo)) {
          reach.add(element.attachedTo);
          stack.push(element.attachedTo);
        }
      }
      join.reachableFrom = [...reach];
    }
  }
}

function splitList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function checkTimer(timer: TimerSpec): string | null {
  if (isExpression(timer.value)) {
    try {
      parseExpression(timer.value);
      return null;
    } catch (e) {
      return `invalid timer expression: ${(e as Error).message}`;
    }
  }
  try {
    parseTimer(timer, new Date(0));
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
