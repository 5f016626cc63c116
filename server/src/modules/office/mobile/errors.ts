import { defineErrors } from "../../../kernel/http/errors";

export const MobileErrors = defineErrors({
  MOBILE_SIGNATURE_INVALID: { status: 401, title: "The request is not signed by the mobile app" },
  MOBILE_TIMESTAMP_STALE: { status: 401, title: "The request's timestamp is more than five minutes off" },
  MOBILE_ACCOUNT_NOT_LINKED: { status: 403, title: "No active staff account is linked to this open id" },
  MOBILE_ACCOUNT_NOT_FOUND: { status: 404, title: "No mobile app account is linked" },
  MOBILE_OPEN_ID_TAKEN: { status: 409, title: "This open id is linked to another staff account" },
  MOBILE_ACTION_ID_REUSED: { status: 422, title: "This actionId was already used for a different action" },
  MOBILE_APP_DISABLED: { status: 503, title: "The mobile app adapter is not configured" },
  MOBILE_STAFF_NOT_FOUND: { status: 404, title: "Staff member not found" },
});
