import { defineErrors } from "../http/errors";

export const IdentityErrors = defineErrors({
  INVALID_CREDENTIALS: { status: 401, title: "The username or password is wrong" },
  TOTP_REQUIRED: { status: 401, title: "A one-time code from the authenticator app is required" },
  INVALID_TOTP: { status: 401, title: "The one-time code is wrong or expired" },
  INVALID_SMS_CODE: { status: 401, title: "The SMS code is wrong or expired" },
  ACCOUNT_LOCKED: { status: 423, title: "The account is locked after repeated failed sign-ins" },
  ACCOUNT_DISABLED: { status: 403, title: "The account is disabled" },
  SMS_SIGN_IN_UNAVAILABLE: { status: 503, title: "Sign-in by SMS code is not configured" },
  OIDC_UNAVAILABLE: { status: 503, title: "Unified identity sign-in is not configured" },
  OIDC_FAILED: { status: 401, title: "The identity provider's answer could not be verified" },
  PASSWORD_TOO_WEAK: { status: 422, title: "The new password is too weak" },
  USERNAME_TAKEN: { status: 409, title: "The username is taken" },
  DEPARTMENT_NOT_FOUND: { status: 404, title: "Department not found" },
  DEPARTMENT_CODE_TAKEN: { status: 409, title: "A department with this code exists" },
  DEPARTMENT_NESTING_INVALID: { status: 422, title: "This kind of department cannot sit under that parent" },
  STAFF_NOT_FOUND: { status: 404, title: "Staff member not found" },
  ROLE_NOT_STAFF: { status: 422, title: "Staff accounts can only hold staff roles" },
  CITIZEN_NOT_FOUND: { status: 404, title: "Citizen not found" },
});
