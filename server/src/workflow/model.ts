/**
 * The compiled form of one BPMN process: plain JSON, stored with the definition, read by the
 * executor. Compiling (compile.ts) is where every model error is found, so that nothing about the
 * model can fail at run time.
 */

export type ElementType =
  | "startEvent"
  | "endEvent"
  | "task"
  | "userTask"
  | "serviceTask"
  | "receiveTask"
  | "exclusiveGateway"
  | "parallelGateway"
  | "inclusiveGateway"
  | "intermediateCatchEvent"
  | "intermediateThrowEvent"
  | "boundaryEvent"
  | "subProcess"
  | "callActivity";

export type EventKind = "none" | "message" | "timer" | "error" | "escalation" | "terminate";

export interface TimerSpec {
  kind: "duration" | "date" | "cycle";
  /** An ISO 8601 value or an expression (`${workingDays(3)}`). */
  value: string;
}

export interface EventSpec {
  kind: EventKind;
  messageName?: string;
  /** Expression evaluated when the subscription opens; the message must carry the same key. */
  correlationKey?: string;
  timer?: TimerSpec;
  /** Error or escalation code; absent on a catch event means "catch all". */
  code?: string;
}

/** JSON Schema (draft 2020-12 subset) of a form: the start form or a user task's form. */
export type FormSchema = {
  type: "object";
  properties: Record<string, Record<string, unknown>>;
  required?: string[];
  additionalProperties?: boolean;
};

export interface UserTaskSpec {
  /** Expression or literal username; `${initiator}` names who started the instance. */
  assignee?: string;
  candidateGroups: string[];
  candidateUsers: string[];
  /** ISO date-time, ISO duration, or an expression giving either (or a Date). */
  dueDate?: string;
  formKey?: string;
  form?: FormSchema;
  priority?: number;
}

export interface MultiInstanceSpec {
  sequential: boolean;
  /** Expression or number: how many instances. */
  cardinality?: string;
  /** Expression giving an array: one instance per item. */
  collection?: string;
  elementVariable?: string;
  completionCondition?: string;
}

export interface ElementModel {
  id: string;
  name: string | null;
  type: ElementType;
  /** The enclosing subprocess's id, or "" for the process itself. */
  scope: string;
  incoming: string[];
  outgoing: string[];
  defaultFlow?: string;
  event?: EventSpec;
  /** Boundary events attached to this activity. */
  boundaries?: string[];
  attachedTo?: string;
  interrupting?: boolean;
  userTask?: UserTaskSpec;
  /** The registered handler a service task calls. */
  handler?: string;
  multiInstance?: MultiInstanceSpec;
  /** The process key a call activity starts. */
  calledElement?: string;
  /** For a subprocess: its none start event. */
  startEvent?: string;
  /** Elements from which this inclusive join can still be reached (inclusive joins only). */
  reachableFrom?: string[];
}

export interface FlowModel {
  id: string;
  name: string | null;
  source: string;
  target: string;
  condition?: string;
}

export interface ProcessModel {
  key: string;
  name: string;
  elements: Record<string, ElementModel>;
  flows: Record<string, FlowModel>;
  /** The process's none start event, if it has one. */
  startEvent: string | null;
  messageStarts: { elementId: string; messageName: string }[];
  timerStarts: { elementId: string; timer: TimerSpec }[];
  startForm: FormSchema | null;
  /** camunda:candidateStarterGroups/Users: who may start it (empty: any staff member). */
  starterGroups: string[];
  starterUsers: string[];
}

/** Elements where a token waits for something outside the step (a person, a message, time, a job). */
export const WAIT_TYPES: ReadonlySet<ElementType> = new Set([
  "userTask",
  "serviceTask",
  "receiveTask",
  "intermediateCatchEvent",
  "callActivity",
  "subProcess",
]);
