import { defineErrors } from "../kernel/http/errors";

export const WorkflowErrors = defineErrors({
  PROCESS_MODEL_INVALID: { status: 422, title: "The BPMN model cannot be deployed" },
  PROCESS_NOT_FOUND: { status: 404, title: "Process not found" },
  PROCESS_START_FORBIDDEN: { status: 403, title: "You may not start this process" },
  PROCESS_HAS_NO_NONE_START: {
    status: 422,
    title: "This process starts only by a message or a timer",
  },
  PROCESS_RUNTIME_ERROR: { status: 422, title: "The process cannot go on with these values" },
  INSTANCE_NOT_FOUND: { status: 404, title: "Process instance not found" },
  INSTANCE_NOT_ACTIVE: { status: 409, title: "The process instance has ended" },
  TASK_NOT_FOUND: { status: 404, title: "Task not found" },
  TASK_NOT_OPEN: { status: 409, title: "The task is already completed or cancelled" },
  TASK_ALREADY_CLAIMED: { status: 409, title: "Someone else has claimed the task" },
  TASK_NOT_YOURS: { status: 403, title: "The task is not assigned to you" },
  VARIABLES_INVALID: { status: 422, title: "The variables do not match the form" },
  USER_NOT_FOUND: { status: 422, title: "No active staff member has this username" },
  TOKEN_GONE: { status: 409, title: "The instance has moved on from this point" },
  MESSAGE_NOT_CORRELATED: { status: 404, title: "No process is waiting for this message" },
});
