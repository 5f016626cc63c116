import { defineErrors } from "../../kernel/http/errors";

export const DatahubErrors = defineErrors({
  NOT_A_DEPARTMENT_MEMBER: { status: 403, title: "Only staff of a department work with shared data" },
  DEPARTMENT_NOT_FOUND: { status: 404, title: "Department not found" },
  RESOURCE_NOT_FOUND: { status: 404, title: "Data resource not found" },
  RESOURCE_CODE_TAKEN: { status: 409, title: "Another resource has this code" },
  RESOURCE_WITHDRAWN: { status: 409, title: "The resource was withdrawn from the catalog" },
  NOT_PROVIDER: { status: 403, title: "Only the providing department or the data bureau may change this" },
  RESPONSIBILITY_CONFLICT: {
    status: 409,
    title: "Another department is the authoritative source of this field (数源责任冲突)",
  },
  ERROR_REPORT_NOT_FOUND: { status: 404, title: "Error report not found" },
  NO_AUTHORITY: {
    status: 422,
    title: "No department is responsible for this item in the responsibility list (数源责任清单)",
  },
  RESOURCE_NOT_SHAREABLE: { status: 422, title: "The resource is not shared (不予共享)" },
  REQUEST_NOT_FOUND: { status: 404, title: "Sharing request not found" },
  REQUEST_NOT_DISPUTABLE: { status: 409, title: "Only a refused request of your department can be disputed" },
  REQUEST_CLOSED: { status: 409, title: "The request is decided already" },
  OWN_RESOURCE: { status: 422, title: "A department does not request its own data" },
  GRANT_NOT_FOUND: { status: 404, title: "Grant not found" },
  GRANT_NOT_ACTIVE: { status: 409, title: "The grant is not active" },
  CLIENT_NOT_FOUND: { status: 404, title: "Client system not found" },
  INVALID_CLIENT: { status: 401, title: "Unknown client or wrong secret" },
  UNSUPPORTED_GRANT_TYPE: { status: 400, title: "Only the client_credentials grant is supported" },
  INVALID_TOKEN: { status: 401, title: "The access token is missing, forged or expired" },
  PURPOSE_REQUIRED: { status: 400, title: "Every call must state its purpose" },
  NO_GRANT: { status: 403, title: "No active grant covers this resource and purpose" },
  FIELD_NOT_GRANTED: { status: 403, title: "A requested field is not granted" },
  GRANT_RATE_LIMITED: { status: 429, title: "The grant's rate limit is reached" },
});
