/**
 * The data hub API (一网共享, server/src/modules/datahub) as the web app uses it: the resource catalog
 * (政务数据资源目录), the responsibility list (数源责任清单), sharing requests and grants, error reports
 * (数据纠错), the exchange gateway's client systems and usage, and the citizen's own data-use record.
 * The value lists and their Chinese names mirror server/src/modules/datahub/catalog/catalog.types.ts:
 * the web app cannot import server code, so keep the two in step.
 */
import { api } from "./api";

const enc = encodeURIComponent;

// ─── catalog enums (mirrors catalog.types.ts) ────────────────────────────────────────────────

/** 共享类型: 无条件共享 / 有条件共享 / 不予共享. */
export const SHARING_TYPES = ["unconditional", "conditional", "none"] as const;
export type SharingType = (typeof SHARING_TYPES)[number];
export const SHARING_TYPE_NAMES: Record<SharingType, string> = {
  unconditional: "无条件共享",
  conditional: "有条件共享",
  none: "不予共享",
};

/** 共享方式: 接口 / 文件 / 库表. */
export const SHARING_METHODS = ["api", "file", "table"] as const;
export type SharingMethod = (typeof SHARING_METHODS)[number];
export const SHARING_METHOD_NAMES: Record<SharingMethod, string> = {
  api: "接口",
  file: "文件",
  table: "库表",
};

/** 开放属性: 无条件开放 / 有条件开放 / 不予开放. */
export const OPEN_TYPES = ["open", "conditional", "closed"] as const;
export type OpenType = (typeof OPEN_TYPES)[number];
export const OPEN_TYPE_NAMES: Record<OpenType, string> = {
  open: "无条件开放",
  conditional: "有条件开放",
  closed: "不予开放",
};

/** 更新周期. */
export const UPDATE_CYCLES = [
  "realtime",
  "daily",
  "weekly",
  "monthly",
  "quarterly",
  "half-yearly",
  "yearly",
  "irregular",
] as const;
export type UpdateCycle = (typeof UPDATE_CYCLES)[number];
export const UPDATE_CYCLE_NAMES: Record<UpdateCycle, string> = {
  realtime: "实时",
  daily: "每日",
  weekly: "每周",
  monthly: "每月",
  quarterly: "每季度",
  "half-yearly": "每半年",
  yearly: "每年",
  irregular: "不定期",
};

/** 数据分级 (GB/T 43697-2024): 一般 / 重要 / 核心; a resource takes the highest grade of its items. */
export const GRADES = ["general", "important", "core"] as const;
export type Grade = (typeof GRADES)[number];
export const GRADE_NAMES: Record<Grade, string> = {
  general: "一般数据",
  important: "重要数据",
  core: "核心数据",
};

export const ITEM_TYPES = ["string", "integer", "number", "date", "datetime", "boolean"] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** How the exchange gateway masks an item's value unless a grant allows it in clear. */
export const MASKS = ["none", "name", "id", "phone", "address", "uscc", "all"] as const;
export type Mask = (typeof MASKS)[number];

/** 资源分类 (类 / 项): 1 基础信息资源, 2 主题信息资源, 3 部门信息资源. */
export interface Category {
  code: string;
  name: string;
}
export const CATEGORIES: readonly Category[] = [
  { code: "101", name: "人口基础信息" },
  { code: "102", name: "法人单位基础信息" },
  { code: "103", name: "自然资源和空间地理基础信息" },
  { code: "104", name: "社会信用基础信息" },
  { code: "105", name: "电子证照基础信息" },
  { code: "201", name: "公共服务" },
  { code: "202", name: "社会保障" },
  { code: "203", name: "医疗卫生" },
  { code: "204", name: "教育文化" },
  { code: "205", name: "市场监管" },
  { code: "206", name: "城市管理" },
  { code: "207", name: "生态环境" },
  { code: "208", name: "安全生产与应急" },
  { code: "209", name: "交通运输" },
  { code: "301", name: "部门业务信息" },
];

/** Roles that register and maintain resources (部门数据专员, 数据管理局, 领导): the server's editors. */
export const CATALOG_EDITING_ROLES: readonly string[] = ["dataofficer", "databureau", "leader", "admin"];

/** Roles that register client systems and revoke grants of their department (the server's officers). */
export const DATA_OFFICER_ROLES: readonly string[] = ["dataofficer", "databureau", "leader", "admin"];

// The answers of actions (withdraw, dispute, revoke, disable) are not relied on: pages load the record again.

// ─── catalog ─────────────────────────────────────────────────────────────────────────────────

/** A data item (信息项) of a resource. */
export interface DataItem {
  /** Machine name, unique in the resource: [a-z][a-zA-Z0-9_]*, e.g. idNumber. */
  name: string;
  /** 信息项名称, e.g. 公民身份号码. */
  title: string;
  type: ItemType;
  /** Maximum length for strings, digits for numbers; null when not fixed. */
  length: number | null;
  grade: Grade;
  /** 个人信息 (PIPL art. 4). */
  personal: boolean;
  /** 敏感个人信息 (PIPL art. 28). */
  sensitive: boolean;
  mask: Mask;
  /** The base field it carries, e.g. "person.name" (数源责任清单), or null. */
  baseField: string | null;
}

/** What a department registers; the data bureau may name the provider department. */
export interface ResourceInput {
  name: string;
  /** Assigned by the platform when left out. */
  code?: string;
  summary: string;
  categoryCode: string;
  /** 资源格式, e.g. 数据库, 电子表格, 接口. */
  format: string;
  sharingType: SharingType;
  /** 共享条件: required for conditional resources. */
  sharingCondition?: string | null;
  /** 共享依据: required for conditional and 不予共享 resources. */
  sharingBasis?: string | null;
  sharingMethod: SharingMethod;
  openType: OpenType;
  updateCycle: UpdateCycle;
  /** The item that identifies a record (e.g. idNumber, uscc). */
  keyItem: string;
  relatedCodes?: string[];
  items: DataItem[];
  providerDepartmentId?: string;
}

export type ResourceStatus = "published" | "withdrawn";

export interface ResourceView {
  id: string;
  code: string;
  name: string;
  summary: string;
  categoryCode: string;
  categoryName: string;
  format: string;
  sharingType: SharingType;
  sharingCondition: string | null;
  sharingBasis: string | null;
  sharingMethod: SharingMethod;
  openType: OpenType;
  updateCycle: UpdateCycle;
  keyItem: string;
  relatedCodes: string[];
  items: DataItem[];
  providerDepartmentId: string;
  providerDepartmentName: string;
  /** 提供方代码 */
  providerDepartmentCode: string;
  status: ResourceStatus;
  /** The highest grade of its items. */
  grade: Grade;
  /** 发布日期 (YYYY-MM-DD) */
  publishedOn: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  recordCount: number;
  /** Gateway calls served ("shared N times"). */
  sharedCount: number;
}

/** A resource as the catalog page shows it, with my department's active grants on it. */
export interface ResourceDetail extends ResourceView {
  myGrants: GrantView[];
  canEdit: boolean;
}

export interface ResourceSummary {
  id: string;
  code: string;
  name: string;
  summary: string;
  categoryCode: string;
  categoryName: string;
  providerDepartmentId: string;
  providerDepartmentName: string;
  sharingType: SharingType;
  sharingMethod: SharingMethod;
  openType: OpenType;
  updateCycle: UpdateCycle;
  grade: Grade;
  status: ResourceStatus;
  version: number;
  publishedOn: string;
  updatedAt: string;
  itemCount: number;
  recordCount: number;
  sharedCount: number;
}

export const FACETS = [
  "category",
  "provider",
  "sharingType",
  "sharingMethod",
  "openType",
  "updateCycle",
  "grade",
] as const;
export type Facet = (typeof FACETS)[number];

export interface FacetValue {
  value: string;
  label: string;
  count: number;
}

export interface ResourceSearch {
  items: ResourceSummary[];
  total: number;
  /** Nothing matched every word: these are the near misses. */
  fuzzy?: boolean;
  facets: Record<Facet, FacetValue[]>;
}

export type ResourceQuery = Partial<Record<Facet, string>> & { q?: string; page?: number; pageSize?: number };

export const searchResources = (query: ResourceQuery, signal?: AbortSignal) =>
  api.get<ResourceSearch>("/api/datahub/resources", { ...query }, signal);

export const getResource = (id: string, signal?: AbortSignal) =>
  api.get<ResourceDetail>(`/api/datahub/resources/${enc(id)}`, undefined, signal);

export const createResource = (input: ResourceInput) =>
  api.post<ResourceView>("/api/datahub/resources", input);

/** A new version (version + 1) of the resource. */
export const updateResource = (id: string, input: ResourceInput) =>
  api.put<ResourceView>(`/api/datahub/resources/${enc(id)}`, input);

/** Takes the resource out of the catalog; grants on it stop working. */
export const withdrawResource = (id: string, reason: string) =>
  api.post<unknown>(`/api/datahub/resources/${enc(id)}/withdraw`, { reason });

// ─── responsibility list (数源责任清单) ──────────────────────────────────────────────────────

/** The base pools: 人口库, 法人库. */
export const BASES = ["population", "legalPerson"] as const;
export type Base = (typeof BASES)[number];

export interface Responsibility {
  base: Base;
  /** The pool's field, e.g. name (a data item's baseField is then person.name or enterprise.name). */
  field: string;
  title: string;
  departmentId: string;
  departmentName: string;
}

export const listResponsibilities = (base: Base, signal?: AbortSignal) =>
  api.get<Responsibility[]>("/api/datahub/responsibilities", { base }, signal);

/** The data bureau names the department authoritative for a base field; 409 RESPONSIBILITY_CONFLICT when held. */
export const assignResponsibility = (input: {
  base: Base;
  field: string;
  title: string;
  departmentId: string;
}) => api.post<Responsibility>("/api/datahub/responsibilities", input);

/** Frees a field so that another department can be named (data bureau). */
export const releaseResponsibility = (base: Base, field: string) =>
  api.delete<unknown>(`/api/datahub/responsibilities/${enc(base)}/${enc(field)}`);

/** A base field's name: letters and digits, a letter first. */
export const BASE_FIELD_PATTERN = /^[a-zA-Z][a-zA-Z0-9]{0,63}$/;

// ─── error reports (数据纠错) ────────────────────────────────────────────────────────────────

export const ERROR_REPORT_STATUSES = ["open", "accepted", "rejected"] as const;
export type ErrorReportStatus = (typeof ERROR_REPORT_STATUSES)[number];
export const ERROR_REPORT_BOXES = ["mine", "assigned"] as const;
export type ErrorReportBox = (typeof ERROR_REPORT_BOXES)[number];

export interface ErrorReportView {
  id: string;
  resourceId: string;
  resourceName: string;
  recordKeyMasked: string;
  item: string;
  itemTitle: string;
  correctValue: string;
  reason: string;
  status: ErrorReportStatus;
  reply: string | null;
  departmentId: string;
  departmentName: string;
  reporterName: string;
  createdAt: string;
  dueAt: string | null;
  resolvedAt: string | null;
  /** The authoritative department's task in the office inbox. */
  taskId: string | null;
}

export interface ErrorReportInput {
  resourceId: string;
  recordKey: string;
  item: string;
  correctValue: string;
  reason: string;
}

export const reportDataError = (input: ErrorReportInput) =>
  api.post<ErrorReportView>("/api/datahub/error-reports", input);

export const listErrorReports = (
  query: { box: ErrorReportBox; status?: ErrorReportStatus | "" },
  signal?: AbortSignal,
) => api.get<ErrorReportView[]>("/api/datahub/error-reports", { ...query }, signal);

// ─── sharing requests (共享申请) ─────────────────────────────────────────────────────────────

export const REQUEST_STATUSES = [
  "checking",
  "provider-review",
  "granted",
  "refused",
  "disputed",
  "withdrawn",
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
/** Statuses in which a request still waits for someone. */
export const OPEN_REQUEST_STATUSES: readonly RequestStatus[] = ["checking", "provider-review", "disputed"];

export const REQUEST_BOXES = ["mine", "review", "all"] as const;
export type RequestBox = (typeof REQUEST_BOXES)[number];

/** purposeCode: a short machine word the gateway checks on every call. */
export const PURPOSE_CODE_PATTERN = /^[a-z][a-z0-9-]{2,49}$/;

/** Outcomes a history entry carries. */
export const HISTORY_OUTCOMES = [
  "submitted",
  "approved",
  "refused",
  "disputed",
  "accepted",
  "granted",
] as const;

export interface RequestHistoryEntry {
  at: string;
  /** the step's Chinese name, e.g. 合规审核 */
  step: string;
  actor: string;
  outcome: string;
  comment: string | null;
}

export interface RequestView {
  id: string;
  resourceId: string;
  resourceCode: string;
  resourceName: string;
  providerDepartmentId: string;
  providerDepartmentName: string;
  /** The consuming unit (bureau or sub-district), which may sit above the requester's own section. */
  consumerDepartmentId: string;
  consumerDepartmentName: string;
  requesterId: string;
  requesterName: string;
  /** item names */
  fields: string[];
  /** items asked for unmasked */
  clearFields: string[];
  purposeCode: string;
  purpose: string;
  legalBasis: string;
  periodFrom: string;
  periodTo: string;
  expectedDailyVolume: number;
  status: RequestStatus;
  refusal: { by: string; reason: string; at: string } | null;
  dispute: { reason: string; at: string } | null;
  grantId: string | null;
  createdAt: string;
  decidedAt: string | null;
  dueAt: string | null;
  escalated: boolean;
  /** A workflow task the caller may act on. */
  openTaskId: string | null;
  history: RequestHistoryEntry[];
}

export interface SharingRequestInput {
  resourceId: string;
  fields: string[];
  clearFields?: string[];
  purposeCode: string;
  purpose: string;
  legalBasis: string;
  /** YYYY-MM-DD */
  periodFrom: string;
  periodTo: string;
  expectedDailyVolume: number;
}

export const createSharingRequest = (input: SharingRequestInput) =>
  api.post<RequestView>("/api/datahub/requests", input);

export const listSharingRequests = (
  query: { box: RequestBox; status?: RequestStatus | "" },
  signal?: AbortSignal,
) => api.get<RequestView[]>("/api/datahub/requests", { ...query }, signal);

export const getSharingRequest = (id: string, signal?: AbortSignal) =>
  api.get<RequestView>(`/api/datahub/requests/${enc(id)}`, undefined, signal);

/** 提出异议 on a refused request: the data bureau arbitrates. */
export const disputeSharingRequest = (id: string, reason: string) =>
  api.post<unknown>(`/api/datahub/requests/${enc(id)}/dispute`, { reason });

export const withdrawSharingRequest = (id: string) =>
  api.post<unknown>(`/api/datahub/requests/${enc(id)}/withdraw`, {});

// ─── grants (授权) ───────────────────────────────────────────────────────────────────────────

export const GRANT_STATUSES = ["active", "expired", "revoked"] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];
export const GRANT_BOXES = ["consumer", "provider", "all"] as const;
export type GrantBox = (typeof GRANT_BOXES)[number];

export interface GrantView {
  id: string;
  requestId: string;
  resourceId: string;
  resourceCode: string;
  resourceName: string;
  providerDepartmentId: string;
  providerDepartmentName: string;
  consumerDepartmentId: string;
  consumerDepartmentName: string;
  fields: string[];
  clearFields: string[];
  purposeCode: string;
  purpose: string;
  validFrom: string;
  expiresAt: string;
  rateLimitPerMinute: number;
  status: GrantStatus;
  revokedReason: string | null;
  createdAt: string;
  calls: number;
}

export const listGrants = (query: { box: GrantBox; status?: GrantStatus | "" }, signal?: AbortSignal) =>
  api.get<GrantView[]>("/api/datahub/grants", { ...query }, signal);

/** The provider or the data bureau ends a grant before it expires. */
export const revokeGrant = (id: string, reason: string) =>
  api.post<unknown>(`/api/datahub/grants/${enc(id)}/revoke`, { reason });

// ─── client systems of the exchange gateway (接入系统) ──────────────────────────────────────

export interface ClientView {
  clientId: string;
  name: string;
  departmentName: string;
  createdAt: string;
  disabled: boolean;
  lastUsedAt: string | null;
}

/** The secret comes back once, here, and never again. */
export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  name: string;
}

export const listClients = (signal?: AbortSignal) =>
  api.get<ClientView[]>("/api/datahub/clients", undefined, signal);

export const registerClient = (name: string) => api.post<RegisteredClient>("/api/datahub/clients", { name });

export const disableClient = (clientId: string) =>
  api.post<unknown>(`/api/datahub/clients/${enc(clientId)}/disable`, {});

// ─── usage (共享统计) ────────────────────────────────────────────────────────────────────────

export interface UsageCounts {
  calls: number;
  records: number;
  refused: number;
}

export interface UsageStats {
  total: UsageCounts;
  byDay: (UsageCounts & { day: string })[];
  byResource: { resourceId: string; resourceName: string; calls: number }[];
  byConsumer: { departmentId: string; departmentName: string; calls: number }[];
}

/** Gateway calls between two Shanghai days (YYYY-MM-DD, both included), optionally of one resource. */
export const getUsageStats = (
  query: { from: string; to: string; resourceId?: string },
  signal?: AbortSignal,
) => api.get<UsageStats>("/api/datahub/usage", { ...query }, signal);

// ─── the citizen's record (我的数据使用记录) ───────────────────────────────────────────────────

export interface DataUse {
  id: string;
  at: string;
  /** the exchange gateway, or a form prefilled from the base pools */
  channel: "gateway" | "prefill";
  departmentName: string;
  resourceName: string;
  /** item titles */
  fields: string[];
  purpose: string;
}

export const listMyDataUses = (query: { page: number; pageSize: number }, signal?: AbortSignal) =>
  api.get<{ items: DataUse[]; total: number }>("/api/datahub/my-data-uses", { ...query }, signal);
