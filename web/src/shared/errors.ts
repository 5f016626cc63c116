import type { FormInstance } from "antd";
import { ApiError, isApiError } from "./api";
import type { MessageKey, Translate } from "./i18n";

/** Problem codes with a message of their own; others fall back to the HTTP status, then to the title. */
const CODE_MESSAGES: Record<string, MessageKey> = {
  INVALID_CREDENTIALS: "problem.INVALID_CREDENTIALS",
  TOTP_REQUIRED: "problem.TOTP_REQUIRED",
  INVALID_TOTP: "problem.INVALID_TOTP",
  INVALID_SMS_CODE: "problem.INVALID_SMS_CODE",
  ACCOUNT_LOCKED: "problem.ACCOUNT_LOCKED",
  ACCOUNT_DISABLED: "problem.ACCOUNT_DISABLED",
  SMS_SIGN_IN_UNAVAILABLE: "problem.SMS_SIGN_IN_UNAVAILABLE",
  OIDC_UNAVAILABLE: "problem.OIDC_UNAVAILABLE",
  OIDC_FAILED: "problem.OIDC_FAILED",
  USERNAME_TAKEN: "problem.USERNAME_TAKEN",
  DEPARTMENT_NOT_FOUND: "problem.DEPARTMENT_NOT_FOUND",
  DEPARTMENT_CODE_TAKEN: "problem.DEPARTMENT_CODE_TAKEN",
  DEPARTMENT_NESTING_INVALID: "problem.DEPARTMENT_NESTING_INVALID",
  STAFF_NOT_FOUND: "problem.STAFF_NOT_FOUND",
  TASK_ALREADY_CLAIMED: "problem.TASK_ALREADY_CLAIMED",
  TASK_NOT_OPEN: "problem.TASK_NOT_OPEN",
  VARIABLES_INVALID: "problem.VARIABLES_INVALID",
  PROCESS_START_FORBIDDEN: "problem.PROCESS_START_FORBIDDEN",
  PROCESS_NOT_FOUND: "problem.PROCESS_NOT_FOUND",
  ROLE_NOT_STAFF: "problem.ROLE_NOT_STAFF",
  VALIDATION_FAILED: "problem.VALIDATION_FAILED",
  MALFORMED_JSON: "problem.VALIDATION_FAILED",
  UNAUTHENTICATED: "problem.UNAUTHENTICATED",
  FORBIDDEN: "problem.FORBIDDEN",
  NOT_FOUND: "problem.NOT_FOUND",
  CONFLICT: "problem.CONFLICT",
  IDEMPOTENCY_KEY_REUSED: "problem.CONFLICT",
  RATE_LIMITED: "problem.RATE_LIMITED",
  INTERNAL: "problem.INTERNAL",
  UNAVAILABLE: "problem.UNAVAILABLE",
  NETWORK_ERROR: "problem.NETWORK_ERROR",
  BAD_RESPONSE: "problem.INTERNAL",
};

const STATUS_MESSAGES: Record<number, MessageKey> = {
  400: "problem.VALIDATION_FAILED",
  401: "problem.UNAUTHENTICATED",
  403: "problem.FORBIDDEN",
  404: "problem.NOT_FOUND",
  409: "problem.CONFLICT",
  423: "problem.ACCOUNT_LOCKED",
  429: "problem.RATE_LIMITED",
  500: "problem.INTERNAL",
  502: "problem.UNAVAILABLE",
  503: "problem.UNAVAILABLE",
  504: "problem.UNAVAILABLE",
};

/** A one-line message for any error, in the user's language. */
export function errorMessage(error: unknown, t: Translate): string {
  if (isApiError(error)) {
    const key = CODE_MESSAGES[error.code] ?? STATUS_MESSAGES[error.status];
    return key ? t(key) : error.title;
  }
  if (error instanceof Error) return error.message;
  return t("problem.unknown");
}

/** Extra lines worth showing under the message: the server's detail, and its request id for support. */
export function errorDetail(error: unknown, t: Translate): string | undefined {
  if (!isApiError(error)) return undefined;
  const parts: string[] = [];
  if (error.detail && error.detail !== error.title) parts.push(error.detail);
  const requestId = error.problem.requestId;
  if (typeof requestId === "string" && requestId) parts.push(t("problem.requestId", { id: requestId }));
  return parts.length ? parts.join(" · ") : undefined;
}

/**
 * "/body/username" → "username"; "/roles/0" → "roles"; "username" → "username". With `under`, the
 * fields of that object are the form's: "/body/variables/amount" under "variables" → "amount".
 */
export function fieldNameOf(pointer: string, under?: string): string {
  if (!pointer.startsWith("/")) return pointer.split(".")[0] ?? pointer;
  const segments = pointer
    .slice(1)
    .split("/")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  const rest = ["body", "query", "params", "querystring"].includes(segments[0] ?? "")
    ? segments.slice(1)
    : segments;
  if (under !== undefined && rest[0] === under && rest.length > 1) return rest[1] ?? "";
  return rest[0] ?? "";
}

/** Turns a few common validator messages into the user's language; keeps anything else as sent. */
export function localizeFieldMessage(message: string, t: Translate): string {
  if (/^must match (pattern|format)/i.test(message)) return t("field.invalidFormat");
  if (/^must have required property/i.test(message)) return t("field.required");
  if (/^must NOT have fewer than/i.test(message)) return t("field.tooShort");
  if (/^must NOT have more than/i.test(message)) return t("field.tooLong");
  if (/^must be equal to one of the allowed values/i.test(message)) return t("field.notAllowed");
  const limit = /^must be ([<>])= (\S+)$/.exec(message);
  if (limit) return t(limit[1] === "<" ? "field.atMost" : "field.atLeast", { limit: limit[2] ?? "" });
  return message;
}

/**
 * Shows a problem's field errors next to the form's fields. Returns the errors that matched no field,
 * so the caller can show them with the form-level message. `under` names the request property whose
 * members the form edits (a task form edits "variables").
 */
export function applyFieldErrors(
  form: FormInstance,
  error: unknown,
  t: Translate,
  under?: string,
): { field: string; message: string }[] {
  if (!(error instanceof ApiError) || error.errors.length === 0) return [];
  const known = new Set(
    Object.keys(form.getFieldsValue(true) as Record<string, unknown>).concat(
      form
        .getFieldsError()
        .map((f) => String(f.name[0] ?? ""))
        .filter(Boolean),
    ),
  );
  // A domain problem (USERNAME_TAKEN, DEPARTMENT_CODE_TAKEN, …) words its field errors with its own message;
  // a validation problem keeps each field's own.
  const codeKey = CODE_MESSAGES[error.code];
  const domain =
    codeKey !== undefined &&
    !["VALIDATION_FAILED", "MALFORMED_JSON", "VARIABLES_INVALID"].includes(error.code);
  const byField = new Map<string, string[]>();
  const unmatched: { field: string; message: string }[] = [];
  for (const item of error.errors) {
    const name = fieldNameOf(item.field, under);
    const message = domain && codeKey ? t(codeKey) : localizeFieldMessage(item.message, t);
    if (name && known.has(name)) byField.set(name, [...(byField.get(name) ?? []), message]);
    else unmatched.push({ field: item.field, message });
  }
  if (byField.size) form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return unmatched;
}
