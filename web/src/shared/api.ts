/**
 * Fetch wrapper for the Fourfold API: same-origin cookies, JSON bodies (or a raw text body with its own
 * content type), RFC 9457 problem documents turned into ApiError, and a fresh Idempotency-Key on every POST.
 */

export interface FieldProblem {
  /** JSON pointer ("/body/username", "/username") or a plain field name. */
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldProblem[];
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = "ApiError";
    this.problem = problem;
    this.status = problem.status;
    this.code = problem.code;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
  }
}

/** Codes the client itself uses when no problem document came back. */
export const CLIENT_CODES = { NETWORK: "NETWORK_ERROR", BAD_RESPONSE: "BAD_RESPONSE" } as const;

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Sent as Idempotency-Key on POST; a fresh UUID when omitted. */
  idempotencyKey?: string;
  /** Sends `body`, a string or a Blob (a file), as is with this content type (BPMN XML); JSON when omitted. */
  contentType?: string;
}

/** Notified of every 401 from an endpoint other than sign-in, so the app can drop a stale session. */
let onUnauthenticated: (() => void) | null = null;
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

export function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function newIdempotencyKey(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // Non-secure contexts (plain http on a LAN address) lack randomUUID; getRandomValues is still there.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Problem).status === "number" &&
    typeof (value as Problem).title === "string"
  );
}

async function problemFrom(response: Response): Promise<Problem> {
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    try {
      const body: unknown = await response.json();
      if (isProblem(body)) {
        return { ...body, code: typeof body.code === "string" ? body.code : `HTTP_${response.status}` };
      }
    } catch {
      // fall through to a synthetic problem
    }
  }
  return {
    type: "about:blank",
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    code: response.status === 429 ? "RATE_LIMITED" : `HTTP_${response.status}`,
  };
}

/** JSON, or with a `contentType` the body as is: a Blob (a file upload) or text (BPMN XML). */
function bodyOf(options: RequestOptions): BodyInit | null {
  if (options.body === undefined) return null;
  if (options.contentType === undefined) return JSON.stringify(options.body);
  return options.body instanceof Blob ? options.body : String(options.body);
}

export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json, application/problem+json" };
  if (options.body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
  if (method === "POST") headers["idempotency-key"] = options.idempotencyKey ?? newIdempotencyKey();

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: "same-origin",
      body: bodyOf(options),
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError({
      type: "about:blank",
      title: "Network error",
      status: 0,
      code: CLIENT_CODES.NETWORK,
      detail: error instanceof Error ? error.message : String(error),
    });
  }

  if (!response.ok) {
    const problem = await problemFrom(response);
    if (response.status === 401 && !path.startsWith("/api/auth/") && onUnauthenticated) onUnauthenticated();
    throw new ApiError(problem);
  }
  if (response.status === 204 || response.status === 205) return undefined as T;
  const text = await response.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError({
      type: "about:blank",
      title: "The server's answer is not JSON",
      status: response.status,
      code: CLIENT_CODES.BAD_RESPONSE,
    });
  }
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    request<T>("GET", path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) }),
  post: <T>(path: string, body?: unknown, options: Omit<RequestOptions, "body"> = {}) =>
    request<T>("POST", path, { ...options, body }),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, { body }),
  delete: <T>(path: string) => request<T>("DELETE", path),
};
