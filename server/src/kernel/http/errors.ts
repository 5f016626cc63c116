/**
 * Domain errors carry a code; each module declares its codes with their HTTP status, and one handler
 * turns them into RFC 9457 problem documents.
 */
export interface FieldError {
  /** JSON pointer into the request ("/body/username", "/query/page"). */
  field: string;
  message: string;
}

export interface ErrorSpec {
  status: number;
  title: string;
  /** The problem type URI when a standard names its own (e.g. NGSI-LD's); else derived from the code. */
  type?: string;
}

const registry = new Map<string, ErrorSpec>();

export function defineErrors<const T extends Record<string, ErrorSpec>>(specs: T): { [K in keyof T]: K } {
  const codes = {} as { [K in keyof T]: K };
  for (const [code, spec] of Object.entries(specs)) {
    const known = registry.get(code);
    if (known && (known.status !== spec.status || known.title !== spec.title || known.type !== spec.type)) {
      throw new Error(`Error code ${code} is declared twice with different meanings`);
    }
    registry.set(code, spec);
    (codes as Record<string, string>)[code] = code;
  }
  return codes;
}

export function errorSpec(code: string): ErrorSpec | undefined {
  return registry.get(code);
}

export class AppError extends Error {
  readonly status: number;
  readonly title: string;
  readonly type: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    readonly code: string,
    options: {
      message?: string;
      errors?: FieldError[];
      details?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    const spec = registry.get(code);
    if (!spec) throw new Error(`Undeclared error code ${code}`);
    super(options.message ?? spec.title);
    this.status = spec.status;
    this.title = spec.title;
    this.type = spec.type;
    this.errors = options.errors;
    this.details = options.details;
    this.headers = options.headers;
  }
}

/** Codes of the HTTP layer itself; modules declare theirs in their own errors.ts. */
export const HttpErrors = defineErrors({
  VALIDATION_FAILED: { status: 400, title: "The request is not valid" },
  MALFORMED_JSON: { status: 400, title: "The request body is not valid JSON" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: "Unsupported content type" },
  PAYLOAD_TOO_LARGE: { status: 413, title: "The request body is too large" },
  UNAUTHENTICATED: { status: 401, title: "Authentication is required" },
  FORBIDDEN: { status: 403, title: "You are not allowed to do this" },
  PASSWORD_CHANGE_REQUIRED: { status: 403, title: "Replace the one-time password before going on" },
  NOT_FOUND: { status: 404, title: "Not found" },
  METHOD_NOT_ALLOWED: { status: 405, title: "Method not allowed" },
  CONFLICT: { status: 409, title: "Conflict" },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    title: "This Idempotency-Key was already used with a different request",
  },
  RATE_LIMITED: { status: 429, title: "Too many requests" },
  INTERNAL: { status: 500, title: "Internal server error" },
  UNAVAILABLE: { status: 503, title: "Service unavailable" },
});

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function problemFor(error: AppError, instance: string, requestId: string): ProblemDocument {
  return {
    type: error.type ?? `https://fourfold.dev/problems/${error.code.toLowerCase().replaceAll("_", "-")}`,
    title: error.title,
    status: error.status,
    code: error.code,
    ...(error.message !== error.title ? { detail: error.message } : {}),
    instance,
    requestId,
    ...(error.errors ? { errors: error.errors } : {}),
    ...(error.details ?? {}),
  };
}
