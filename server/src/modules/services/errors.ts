import { defineErrors } from "../../kernel/http/errors";

export const ServicesErrors = defineErrors({
  SERVICE_NOT_FOUND: { status: 404, title: "Service item not found" },
  SERVICE_NOT_PUBLISHED: {
    status: 409,
    title: "The item is not on the published list (清单之外无审批)",
  },
  SERVICE_CODE_TAKEN: { status: 409, title: "Another item has this implementation code (实施编码)" },
  NO_DRAFT: { status: 409, title: "The item has no draft version to publish" },
  WRONG_APPLICANT_TYPE: { status: 422, title: "This item is not for this kind of applicant" },
  APPLICATION_NOT_FOUND: { status: 404, title: "Application not found" },
  APPLICATION_NOT_EDITABLE: {
    status: 409,
    title: "Only a draft or an application sent back for correction can be changed",
  },
  APPLICATION_WRONG_STATE: { status: 409, title: "The application is not at a step where this can be done" },
  MATERIALS_MISSING: { status: 422, title: "Mandatory materials are missing" },
  MATERIAL_NOT_FOUND: { status: 404, title: "Material not found" },
  MATERIAL_REJECTED: { status: 422, title: "The file is refused" },
  MATERIAL_TOO_LARGE: { status: 413, title: "The file is larger than allowed" },
  SUBJECT_NOT_FOUND: { status: 404, title: "No citizen or enterprise has this ID number or credit code" },
  NOT_HANDLING_DEPARTMENT: { status: 403, title: "Only the implementing department decides this item" },
  SPECIAL_STEP_OPEN: { status: 409, title: "A special step is already running" },
  SPECIAL_STEP_NOT_FOUND: { status: 404, title: "Special step not found" },
  ALREADY_RATED: { status: 409, title: "This application is rated already" },
  TRACKING_NOT_FOUND: { status: 404, title: "No application has this receipt number and code" },
});
