import { defineErrors } from "../../../kernel/http/errors";

export const NoticeErrors = defineErrors({
  NOTICE_NOT_FOUND: { status: 404, title: "Notice not found" },
  NOTICE_DEPARTMENT_NOT_FOUND: { status: 404, title: "Department not found" },
  NOTICE_AUDIENCE_FORBIDDEN: { status: 403, title: "You may not publish a notice to this audience" },
  NOTICE_NO_RECIPIENTS: { status: 422, title: "Nobody would receive this notice" },
});
