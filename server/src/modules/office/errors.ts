import { defineErrors } from "../../kernel/http/errors";

export const OfficeErrors = defineErrors({
  NOT_STAFF_OF_A_DEPARTMENT: {
    status: 403,
    title: "Only staff of a department work with official documents",
  },
  DEPARTMENT_NOT_FOUND: { status: 404, title: "Department not found" },
  DOCUMENT_NOT_FOUND: { status: 404, title: "Document not found" },
  FILE_NOT_FOUND: { status: 404, title: "File not found" },
  DOCUMENT_NOT_EDITABLE: { status: 409, title: "The document cannot be edited now" },
  DOCUMENT_REVISION_STALE: { status: 409, title: "Someone else changed the document meanwhile" },
  DOCUMENT_NOT_SUBMITTABLE: { status: 409, title: "Only its drafter can submit a draft, once" },
  NO_SEAL_KEEPER: { status: 422, title: "The department has no seal keeper (印章管理员) to apply its seal" },
  NOT_ISSUER: { status: 403, title: "You may not issue documents of this department" },
  DOCUMENT_ALREADY_NUMBERED: { status: 409, title: "The document has a number already" },
  DOCUMENT_NOT_SIGNED_OFF: { status: 409, title: "The document is numbered after 签发" },
  DOCUMENT_NOT_NUMBERED: { status: 409, title: "The document must be numbered (编号) first" },
  DOCUMENT_WITHDRAWN: { status: 409, title: "The document was withdrawn" },
  SUPERVISION_NOT_FOUND: { status: 404, title: "Supervision item not found" },
  SUPERVISION_CLOSED: { status: 409, title: "The supervision item is closed" },
  NOT_SUPERVISION_OWNER: { status: 403, title: "Your department does not own this supervision item" },
});
