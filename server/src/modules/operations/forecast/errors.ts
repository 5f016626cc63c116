import { defineErrors } from "../../../kernel/http/errors";

export const OperationsErrors = defineErrors({
  CAP_INVALID: { status: 400, title: "The CAP 1.2 message is not valid" },
  AREA_NOT_FOUND: { status: 404, title: "No such area in the twin" },
});
