/**
 * The BPMN engine's API (server/src/workflow) as the web app uses it: processes, instances and tasks.
 * Every network's work runs on it, so the office inbox and the admin modeler share these calls.
 */
import { api } from "./api";

export interface UserRef {
  id: string;
  name: string;
}

/** The subset of JSON Schema a task or start form uses. */
export interface FormFieldSchema {
  type?: "string" | "number" | "integer" | "boolean" | "object" | "array" | "null";
  title?: string;
  description?: string;
  enum?: readonly (string | number)[];
  /** Labelled choices: `oneOf: [{const: "yes", title: "同意"}]`. */
  oneOf?: readonly { const: string | number; title?: string }[];
  /** Labels of `enum` values, in order (from camunda:formData enum fields). */
  "x-enumNames"?: readonly string[];
  format?: string;
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  default?: unknown;
}

export interface FormSchema {
  type?: "object";
  title?: string;
  properties?: Record<string, FormFieldSchema>;
  required?: readonly string[];
}

export interface ProcessSummary {
  key: string;
  name: string;
  version: number;
  versionCount: number;
  deployedAt: string;
  deployedBy: UserRef | null;
  activeInstances: number;
  /** Whether the caller may start it by hand (it has a plain start event and the caller is allowed). */
  startable: boolean;
}

export interface ProcessVersion {
  version: number;
  deployedAt: string;
  activeInstances: number;
}

export interface ProcessDetail {
  key: string;
  name: string;
  version: number;
  xml: string;
  deployedAt: string;
  startForm: FormSchema | null;
  versions: ProcessVersion[];
}

export interface DeployResult {
  key: string;
  version: number;
  name: string;
  processes: { key: string; version: number; name: string }[];
}

export interface ModelProblem {
  elementId: string | null;
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  processes: { key: string; name: string }[];
  errors: ModelProblem[];
}

export type InstanceState = "active" | "completed" | "cancelled";

export interface InstanceSummary {
  id: string;
  processKey: string;
  processName: string;
  version: number;
  businessKey: string | null;
  state: InstanceState;
  startedAt: string;
  endedAt: string | null;
  startedBy: UserRef | null;
}

export type HistoryEvent = "started" | "completed" | "cancelled" | "taken" | "triggered";

export interface HistoryEntry {
  elementId: string;
  elementName: string | null;
  elementType: string;
  event: HistoryEvent;
  at: string;
  actor: UserRef | null;
}

export interface InstanceDetail extends InstanceSummary {
  variables: Record<string, unknown>;
  /** Variable name → the title its forms give it. */
  labels: Record<string, string>;
  activeElements: string[];
  tokens: { id: string; elementId: string; state: string }[];
  history: HistoryEntry[];
  incidents: { elementId: string; message: string; at: string }[];
  parentInstanceId: string | null;
}

export type TaskView = "todo" | "done" | "started" | "cc";
export const TASK_VIEWS: readonly TaskView[] = ["todo", "done", "started", "cc"];

export type TaskState = "open" | "completed" | "cancelled";

export interface Task {
  id: string;
  instanceId: string;
  processKey: string;
  processName: string;
  elementId: string;
  name: string;
  businessKey: string | null;
  /** what the task is about (the instance's title or subject), when the process says */
  subject: string | null;
  state: TaskState;
  assignee: (UserRef & { username: string }) | null;
  candidateGroups: string[];
  candidateUsers: string[];
  createdAt: string;
  dueAt: string | null;
  overdue: boolean;
  completedAt: string | null;
  completedBy: UserRef | null;
  formKey: string | null;
  form: FormSchema | null;
  priority: number;
}

export interface TaskDetail extends Task {
  variables: Record<string, unknown>;
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

const BPMN_XML = { contentType: "application/xml" } as const;
const enc = encodeURIComponent;

export const listProcesses = (signal?: AbortSignal) =>
  api.get<{ items: ProcessSummary[] }>("/api/workflow/processes", undefined, signal);

/** The latest version when `version` is omitted. */
export const getProcess = (key: string, version?: number, signal?: AbortSignal) =>
  api.get<ProcessDetail>(`/api/workflow/processes/${enc(key)}`, { version }, signal);

export const deployProcess = (xml: string) =>
  api.post<DeployResult>("/api/workflow/processes", xml, BPMN_XML);

export const validateProcess = (xml: string) =>
  api.post<ValidationResult>("/api/workflow/processes/validate", xml, BPMN_XML);

export const startProcess = (
  key: string,
  input: { variables?: Record<string, unknown>; businessKey?: string },
) => api.post<InstanceSummary>(`/api/workflow/processes/${enc(key)}/instances`, input);

export interface InstanceQuery {
  processKey?: string;
  state?: InstanceState;
  businessKey?: string;
  mine?: boolean;
  page?: number;
  pageSize?: number;
}

export const listInstances = (query: InstanceQuery, signal?: AbortSignal) =>
  api.get<Paged<InstanceSummary>>("/api/workflow/instances", { ...query }, signal);

export const getInstance = (id: string, signal?: AbortSignal) =>
  api.get<InstanceDetail>(`/api/workflow/instances/${enc(id)}`, undefined, signal);

export const cancelInstance = (id: string, reason: string) =>
  api.post<InstanceSummary>(`/api/workflow/instances/${enc(id)}/cancel`, { reason });

export const ccInstance = (id: string, usernames: string[]) =>
  api.post<{ added: number }>(`/api/workflow/instances/${enc(id)}/cc`, { usernames });

export interface TaskQuery {
  view: TaskView;
  q?: string;
  processKey?: string;
  instanceId?: string;
  page?: number;
  pageSize?: number;
}

export const listTasks = (query: TaskQuery, signal?: AbortSignal) =>
  api.get<Paged<Task>>("/api/workflow/tasks", { ...query }, signal);

export const getTask = (id: string, signal?: AbortSignal) =>
  api.get<TaskDetail>(`/api/workflow/tasks/${enc(id)}`, undefined, signal);

export const claimTask = (id: string) => api.post<Task>(`/api/workflow/tasks/${enc(id)}/claim`);

export const completeTask = (id: string, variables: Record<string, unknown>) =>
  api.post<Task>(`/api/workflow/tasks/${enc(id)}/complete`, { variables });

export const delegateTask = (id: string, username: string, comment?: string) =>
  api.post<Task>(`/api/workflow/tasks/${enc(id)}/delegate`, comment ? { username, comment } : { username });

/** Elements an instance has finished (for the diagram), not counting where it waits now. */
export function doneElements(instance: Pick<InstanceDetail, "history" | "activeElements">): string[] {
  const active = new Set(instance.activeElements);
  const done = new Set<string>();
  for (const entry of instance.history) {
    if (entry.event !== "started" && entry.event !== "cancelled" && !active.has(entry.elementId)) {
      done.add(entry.elementId);
    }
  }
  return [...done];
}
