/**
 * The service-handling API (一网通办, server/src/modules/services, docs/services.md) as the web app uses
 * it: the item catalog and its guides, the online forms with their prefill, applications and their
 * materials, the window's desk, 电子监察, 好差评 and 四少一快, tracking by receipt and 随手拍 reports.
 * The value lists mirror server/src/modules/services/catalog/item.ts: the web app cannot import server
 * code, so keep the two in step.
 */
import { ApiError, api, buildUrl, CLIENT_CODES, type Problem } from "./api";

const enc = encodeURIComponent;
const BASE = "/api/services";

/** Who applies (citizens and enterprises), who works the desk, who watches the deadlines (电子监察). */
export const SERVICE_APPLICANT_ROLES: readonly string[] = ["citizen", "enterprise"];
export const SERVICE_DESK_ROLES: readonly string[] = ["clerk", "approver", "officer", "leader"];
export const SERVICE_SUPERVISION_ROLES: readonly string[] = [
  "leader",
  "admin",
  "databureau",
  "clerk",
  "approver",
];

// ─── the catalog ─────────────────────────────────────────────────────────────────────────────

export type ApplicantType = "person" | "legal";
export const APPLICANT_TYPES: readonly ApplicantType[] = ["person", "legal"];

/** Life events and enterprise stages (item.ts LIFE_EVENTS), in the order a citizen browses them. */
export const LIFE_EVENT_KEYS = [
  "birth",
  "school",
  "employment",
  "marriage",
  "housing",
  "residence",
  "social-security",
  "health",
  "retirement",
  "disability",
  "assistance",
  "military-service",
  "death",
  "start-business",
  "run-business",
  "construction",
  "city-management",
  "tax",
  "close-business",
] as const;
export type LifeEvent = (typeof LIFE_EVENT_KEYS)[number];

export type HandlingForm = "online" | "window" | "online-and-window";
export type CrossRegion = "none" | "district" | "city" | "province" | "national" | "greater-bay-area";
export type Authority = "statutory" | "authorised" | "entrusted";
export type MaterialSource = "applicant" | "government" | "intermediary" | "other";
export type SpecialStepKind =
  | "site-inspection"
  | "testing"
  | "expert-review"
  | "hearing"
  | "public-notice"
  | "quarantine";
export const SPECIAL_STEP_KINDS: readonly SpecialStepKind[] = [
  "site-inspection",
  "testing",
  "expert-review",
  "hearing",
  "public-notice",
  "quarantine",
];

export interface DepartmentBrief {
  code: string;
  name: string;
}

export interface ServiceSummary {
  id: string;
  /** 实施编码 */
  code: string;
  /** 基本编码 */
  basicCode: string;
  name: string;
  itemType: string;
  department: DepartmentBrief;
  lifeEvents: string[];
  applicantTypes: ApplicantType[];
  /** Working days; 0 = 即办件. */
  promisedDays: number;
  statutoryDays: number;
  visits: number;
  fullyOnline: boolean;
  handlingForm: HandlingForm;
  feeFen: number;
  version: number;
}

export interface MaterialSpec {
  code: string;
  name: string;
  form: "original" | "copy" | "electronic";
  copies: number;
  mandatory: boolean;
  source: MaterialSource;
  certificateType?: string;
  sharedData?: boolean;
  legalBasis?: string;
  note?: string;
  accept?: string[];
}

export interface SpecialStepSpec {
  kind: SpecialStepKind;
  name: string;
  maxDays: number;
  legalBasis?: string;
}

export interface ServiceDetail extends ServiceSummary {
  authority: Authority;
  legalBasis: string[];
  conditions: string[];
  quantityLimit?: string | null;
  materials: MaterialSpec[];
  specialSteps: SpecialStepSpec[];
  fee: { amountFen: number; basis?: string; note?: string };
  courier: boolean;
  crossRegion: CrossRegion;
  result: { name: string; kind: string };
  consultation: string;
  complaint: string;
  publishedAt: string | null;
  status: "draft" | "published" | "withdrawn";
}

export interface ServiceFacets {
  lifeEvents: { key: string; name: string; count: number }[];
  departments: { code: string; name: string; count: number }[];
  itemTypes: { name: string; count: number }[];
}

export interface ServiceList {
  total: number;
  items: ServiceSummary[];
  facets: ServiceFacets;
}

export interface ServiceQuery {
  q?: string;
  lifeEvent?: string;
  department?: string;
  applicantType?: ApplicantType | "";
  itemType?: string;
  page?: number;
  pageSize?: number;
}

/** A JSON Schema (draft 2020-12) with the catalog's `x-prefill` / `x-correctable` keywords. */
export type FormSchema = Record<string, unknown>;

export interface ServiceForm {
  version: number;
  schema: FormSchema;
  uiSchema: Record<string, unknown>;
}

export interface Prefill {
  values: Record<string, unknown>;
  sources: Record<string, { departmentName: string; at: string }>;
  readOnly: string[];
}

export const listServices = (query: ServiceQuery, signal?: AbortSignal) =>
  api.get<ServiceList>(BASE, { ...query }, signal);

export const getService = (id: string, signal?: AbortSignal) =>
  api.get<ServiceDetail>(`${BASE}/${enc(id)}`, undefined, signal);

/** The published form, or that of the version an application was made under. */
export const getServiceForm = (id: string, version: number | undefined, signal?: AbortSignal) =>
  api.get<ServiceForm>(`${BASE}/${enc(id)}/form`, version ? { version } : undefined, signal);

/** The applicant's own values, or (for a clerk) those of the walk-in named by `subject`. */
export const prefillServiceForm = (id: string, subject?: string, signal?: AbortSignal) =>
  api.get<Prefill>(`${BASE}/${enc(id)}/prefill`, subject ? { subject } : undefined, signal);

// ─── applications ────────────────────────────────────────────────────────────────────────────

export const APPLICATION_STATUSES = [
  "draft",
  "submitted",
  "correction-requested",
  "not-accepted",
  "accepted",
  "approved",
  "denied",
  "delivered",
  "withdrawn",
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export type ApplicationAction =
  | "update"
  | "submit"
  | "withdraw"
  | "accept"
  | "reject"
  | "request-correction"
  | "decide"
  | "start-special-step"
  | "finish-special-step"
  | "deliver"
  | "rate";

/** Where an application was made; `window` is set by the server for a clerk's 帮办代办. */
export type Channel = "web" | "mobile" | "kiosk" | "window";
export type DeadlineLevel = "normal" | "yellow" | "red";

export interface MaterialView {
  id: string;
  code: string;
  name: string;
  fileName: string;
  mime: string;
  size: number;
  sha256: string;
  scanStatus: string;
  uploadedAt: string;
}

export interface RequiredMaterial {
  code: string;
  name: string;
  mandatory: boolean;
  sharedData?: boolean;
  uploaded: boolean;
}

export interface CorrectionItem {
  field?: string;
  material?: string;
  note: string;
}

export interface Deadline {
  promisedDays: number;
  statutoryDays: number;
  dueAt: string | null;
  elapsedDays: number;
  remainingDays: number;
  level: DeadlineLevel;
  paused: boolean;
  pauseReason: string | null;
}

export interface SpecialStep {
  id: string;
  kind: SpecialStepKind;
  name: string;
  reason: string;
  startedAt: string;
  finishedAt: string | null;
  result: string | null;
}

export interface HistoryEntry {
  at: string;
  step?: string;
  /** created, submitted, accepted, correction-requested, approved, delivered, … */
  action: string;
  actor: string | null;
  reason: string | null;
}

/** A row of a list (我的办件, the desk, 电子监察): what a list shows, without the application's body. */
export interface ApplicationSummary {
  id: string;
  receiptNo: string;
  serviceId: string;
  serviceCode: string;
  serviceName: string;
  serviceVersion: number;
  department: DepartmentBrief;
  applicant: { kind: string; name: string; idMasked: string };
  onBehalf: boolean;
  channel: Channel;
  status: ApplicationStatus;
  deadline: Deadline | null;
  evaluation: { rating: number; at: string | null; default: boolean } | null;
  /** Only the applicant and staff see it. */
  trackingCode: string | null;
  createdAt: string;
  submittedAt: string | null;
  acceptedAt: string | null;
  decidedAt: string | null;
  deliveredAt: string | null;
}

export interface ApplicationView extends ApplicationSummary {
  data: Record<string, unknown>;
  prefilled: Record<string, string>;
  readOnly: string[];
  materials: MaterialView[];
  requiredMaterials: RequiredMaterial[];
  correction: { reason: string; items: CorrectionItem[]; at: string } | null;
  decision: { approved: boolean; opinion: string; at: string; by: string | null } | null;
  refusalReason: string | null;
  specialSteps: SpecialStep[];
  history: HistoryEntry[];
  actions: ApplicationAction[];
}

export interface Paged<T> {
  total: number;
  items: T[];
}

export interface NewApplication {
  serviceId: string;
  data: Record<string, unknown>;
  channel?: Exclude<Channel, "window">;
  /** A clerk applying on behalf of a walk-in: the ID number or USCC (the server sets channel window). */
  subject?: string;
}

export const createApplication = (input: NewApplication, idempotencyKey?: string) =>
  api.post<ApplicationView>(`${BASE}/applications`, input, idempotencyKey ? { idempotencyKey } : {});

export const updateApplication = (id: string, data: Record<string, unknown>) =>
  api.patch<ApplicationView>(`${BASE}/applications/${enc(id)}`, { data });

export const getApplication = (id: string, signal?: AbortSignal) =>
  api.get<ApplicationView>(`${BASE}/applications/${enc(id)}`, undefined, signal);

export const listMyApplications = (
  query: { status?: string; page?: number; pageSize?: number },
  signal?: AbortSignal,
) => api.get<Paged<ApplicationSummary>>(`${BASE}/applications`, query, signal);

/** Send one Idempotency-Key per intent: a second click (or a retry) with the same key submits once. */
export const submitApplication = (id: string, idempotencyKey: string) =>
  api.post<ApplicationView>(`${BASE}/applications/${enc(id)}/submit`, undefined, { idempotencyKey });

export const withdrawApplication = (id: string, reason: string | undefined, idempotencyKey?: string) =>
  api.post<ApplicationView>(
    `${BASE}/applications/${enc(id)}/withdraw`,
    reason ? { reason } : {},
    idempotencyKey ? { idempotencyKey } : {},
  );

export const deleteMaterial = (id: string, materialId: string) =>
  api.delete<void>(`${BASE}/applications/${enc(id)}/materials/${enc(materialId)}`);

/** Where the browser opens or downloads a material (the session cookie authorises it; the read is audited). */
export const materialContentUrl = (id: string, materialId: string) =>
  `${BASE}/applications/${enc(id)}/materials/${enc(materialId)}/content`;

/** The file types a material accepts when the item names none. */
export const DEFAULT_ACCEPT = ["application/pdf", "image/jpeg", "image/png"];
export const MAX_MATERIAL_BYTES = 10 * 1024 * 1024;

function problemOfXhr(xhr: XMLHttpRequest): Problem {
  try {
    const body = JSON.parse(xhr.responseText) as Problem;
    if (typeof body.status === "number" && typeof body.title === "string")
      return { ...body, code: typeof body.code === "string" ? body.code : `HTTP_${xhr.status}` };
  } catch {
    // not a problem document
  }
  return {
    type: "about:blank",
    title: xhr.statusText || `HTTP ${xhr.status}`,
    status: xhr.status,
    code: xhr.status === 0 ? CLIENT_CODES.NETWORK : `HTTP_${xhr.status}`,
  };
}

/**
 * Uploads a file as the raw body (fetch cannot report upload progress, so this one uses XHR);
 * `onProgress` gets 0..100. Problems come back as ApiError like every other call.
 */
export function uploadMaterial(
  id: string,
  code: string,
  file: File,
  onProgress?: (percent: number) => void,
  signal?: AbortSignal,
): Promise<MaterialView> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", buildUrl(`${BASE}/applications/${enc(id)}/materials`, { code, fileName: file.name }));
    xhr.withCredentials = true;
    xhr.setRequestHeader("accept", "application/json, application/problem+json");
    xhr.setRequestHeader("content-type", file.type || "application/octet-stream");
    xhr.setRequestHeader("idempotency-key", newIntentKey());
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as MaterialView);
        } catch {
          reject(
            new ApiError({
              type: "about:blank",
              title: "The server's answer is not JSON",
              status: xhr.status,
              code: CLIENT_CODES.BAD_RESPONSE,
            }),
          );
        }
      } else reject(new ApiError(problemOfXhr(xhr)));
    };
    xhr.onerror = () =>
      reject(
        new ApiError({ type: "about:blank", title: "Network error", status: 0, code: CLIENT_CODES.NETWORK }),
      );
    xhr.onabort = () => reject(new DOMException("aborted", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(file);
  });
}

// ─── the desk (综窗) ──────────────────────────────────────────────────────────────────────────

export const DESK_BOXES = ["accept", "review", "deliver", "all"] as const;
export type DeskBox = (typeof DESK_BOXES)[number];

export const listDeskApplications = (
  query: { box: DeskBox; q?: string; level?: "yellow" | "red" | ""; page?: number; pageSize?: number },
  signal?: AbortSignal,
) => api.get<Paged<ApplicationSummary>>(`${BASE}/desk`, query, signal);

const act = (id: string, path: string, body: unknown, idempotencyKey: string) =>
  api.post<ApplicationView>(`${BASE}/applications/${enc(id)}/${path}`, body, { idempotencyKey });

/** 受理 */
export const acceptApplication = (id: string, opinion: string | undefined, key: string) =>
  act(id, "accept", opinion ? { opinion } : {}, key);
/** 不予受理 */
export const rejectApplication = (id: string, reason: string, key: string) =>
  act(id, "reject", { reason }, key);
/** 补正 */
export const requestCorrection = (id: string, reason: string, items: CorrectionItem[], key: string) =>
  act(id, "request-correction", { reason, items }, key);
/** 审查决定 */
export const decideApplication = (id: string, approved: boolean, opinion: string, key: string) =>
  act(id, "decide", { approved, opinion }, key);
/** 特殊环节 */
export const startSpecialStep = (id: string, kind: SpecialStepKind, reason: string, key: string) =>
  act(id, "special-steps", { kind, reason }, key);
export const finishSpecialStep = (id: string, stepId: string, result: string, key: string) =>
  act(id, `special-steps/${enc(stepId)}/finish`, { result }, key);
/** 送达 */
export const DELIVERY_METHODS = ["online", "window", "courier"] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];
export const deliverResult = (id: string, method: DeliveryMethod, note: string | undefined, key: string) =>
  act(id, "deliver", note ? { method, note } : { method }, key);

// ─── 好差评 ──────────────────────────────────────────────────────────────────────────────────

/** The online indicators of the national 好差评 rules (GB/T 39735: 整体满意度, 办事效率, …). */
export const EVALUATION_INDICATORS = ["overall", "efficiency", "guide", "convenience", "usability"] as const;
/** At the window (帮办代办) the offline ones: 整体满意度, 办事效率, 业务能力, 服务态度. */
export const OFFLINE_EVALUATION_INDICATORS = ["overall", "efficiency", "skill", "attitude"] as const;
export type EvaluationIndicator =
  | (typeof EVALUATION_INDICATORS)[number]
  | (typeof OFFLINE_EVALUATION_INDICATORS)[number];

export interface EvaluationInput {
  /** 5 非常满意 … 1 非常不满意 */
  rating: number;
  indicators: Partial<Record<EvaluationIndicator, number>>;
  comment?: string;
}

export const rateApplication = (id: string, input: EvaluationInput, key: string) =>
  act(id, "evaluation", input, key);

// ─── supervision, metrics, evaluations ──────────────────────────────────────────────────────

/** A department's or an item's row of the supervision board; `onTimeRate` is a percentage. */
export interface SupervisionRow {
  key: string;
  name: string;
  open: number;
  yellow: number;
  red: number;
  paused: number;
  done: number;
  onTime: number;
  onTimeRate: number | null;
}

export interface SupervisionBoard {
  totals: { open: number; yellow: number; red: number; done: number; onTime: number };
  departments: SupervisionRow[];
  items: SupervisionRow[];
  /** red */
  overdue: ApplicationSummary[];
  /** yellow */
  dueSoon: ApplicationSummary[];
}

/** 四少一快 of a department or an item, over its submitted applications. */
export interface MetricsRow {
  key: string;
  name: string;
  applications: number;
  fieldsPrefilled: number;
  fieldsTyped: number;
  materialsReused: number;
  materialsUploaded: number;
  visits: number;
  zeroVisit: number;
  /** averages in working days, over decided applications */
  elapsedDays: number | null;
  promisedDays: number | null;
}

export interface ServiceMetrics {
  departments: MetricsRow[];
  items: MetricsRow[];
}

/** 好差评 of an item, a department or a window; raters are never named. */
export interface EvaluationRow {
  key: string;
  name: string;
  count: number;
  average: number;
  bad: number;
  defaults: number;
  levels: Record<"1" | "2" | "3" | "4" | "5", number>;
}

export interface EvaluationStats {
  items: EvaluationRow[];
  departments: EvaluationRow[];
  windows: EvaluationRow[];
}

export const getSupervisionBoard = (signal?: AbortSignal) =>
  api.get<SupervisionBoard>(`${BASE}/supervision`, undefined, signal);
export const getServiceMetrics = (signal?: AbortSignal) =>
  api.get<ServiceMetrics>(`${BASE}/metrics`, undefined, signal);
export const getEvaluationStats = (signal?: AbortSignal) =>
  api.get<EvaluationStats>(`${BASE}/evaluations/stats`, undefined, signal);

// ─── public tracking and 随手拍 ─────────────────────────────────────────────────────────────

export interface TrackResult {
  receiptNo: string;
  serviceName: string;
  department: string;
  status: ApplicationStatus;
  submittedAt: string | null;
  acceptedAt: string | null;
  decidedAt: string | null;
  deliveredAt: string | null;
  dueAt: string | null;
}

export const trackApplication = (receiptNo: string, code: string, signal?: AbortSignal) =>
  api.get<TrackResult>(`${BASE}/track/${enc(receiptNo)}`, { code }, signal);

/** The path a receipt's QR code holds: anyone with the code sees the status and dates. */
export const trackingPath = (receiptNo: string, trackingCode: string) =>
  `/track/${enc(receiptNo)}?code=${enc(trackingCode)}`;

/** 随手拍 categories (services/reports/reports.service.ts REPORT_CATEGORIES). */
export const REPORT_CATEGORIES = [
  "street-vending",
  "illegal-dumping",
  "illegal-posting",
  "illegal-building",
  "illegal-parking",
  "illegal-hanging",
  "road-damage",
  "manhole-cover",
  "street-light",
  "waterlogging",
  "noise",
  "other",
] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

export interface CityProblemReport {
  category: string;
  description: string;
  address?: string;
  location?: { lng: number; lat: number };
  /** base64 of a JPEG or PNG, without the data: prefix */
  photo?: string;
}

export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;

export const reportCityProblem = (input: CityProblemReport, key?: string) =>
  api.post<{ id: string; status: string; caseNo?: string }>(
    `${BASE}/reports`,
    input,
    key ? { idempotencyKey: key } : {},
  );

/** A fresh Idempotency-Key for one intent (a click and its retries). */
export function newIntentKey(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
