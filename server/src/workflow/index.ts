/**
 * The BPMN engine shared by the four networks. Modules reach it through `platform.workflow` and
 * the names exported here: register service-task handlers and forms, deploy models, start
 * instances, and subscribe to its events (workflow.task.created, workflow.task.due-soon,
 * workflow.task.overdue, workflow.instance.completed, …).
 */
export { BpmnError, type ServiceTaskContext, type ServiceTaskHandler, WorkflowEngine } from "./engine";
export { WorkflowErrors } from "./errors";
export type { FormSchema } from "./model";
export { registerWorkflowRoutes } from "./workflow.routes";
