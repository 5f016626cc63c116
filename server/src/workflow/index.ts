/**
 * The BPMN engine shared by the four networks. Modules reach it through `platform.workflow` and
 * the names exported here: register service-task handlers and forms, deploy models, start
 * instances, and subscribe to its events (workflow.task.created, workflow.task.due-soon,
 * workflow.task.overdue, workflow.instance.completed, …).
 */
export {
  BpmnError,
  type OpenTask,
  type ServiceTaskContext,
  type ServiceTaskHandler,
  type TaskCompletion,
  WorkflowEngine,
} from "./engine";
export { WorkflowErrors } from "./errors";
export type { FormSchema } from "./model";
export { actorGroups, findTaskRow, isInvolved, searchTaskRows, type TaskListRow } from "./workflow.queries";
export { registerWorkflowRoutes } from "./workflow.routes";
/** The inbox's own use cases, with every check and audit, for channels other than the web (粤政易). */
export { claimTask, completeTask } from "./workflow.service";
