/**
 * The collaborative-office API (server/src/modules/office) as the web app uses it: official documents
 * (公文), supervision (督办), notices (通知公告), and the few calls of chat and the calendar the office
 * pages need. Steps of the 发文/收文 flows are workflow tasks: act on them with `completeTask` of
 * ./workflow.
 */
import { api } from "./api";
import type { HolidayYear } from "./types";
import type { Paged, UserRef } from "./workflow";

const enc = encodeURIComponent;

// ─── official documents (公文) ────────────────────────────────────────────────────────────────

/** 公文种类: the fifteen kinds of the 2012 regulation (党政机关公文处理工作条例). */
export const DOC_TYPES = [
  "决议",
  "决定",
  "命令",
  "公报",
  "公告",
  "通告",
  "意见",
  "通知",
  "通报",
  "报告",
  "请示",
  "批复",
  "议案",
  "函",
  "纪要",
] as const;
export type DocType = (typeof DOC_TYPES)[number];

/** 上行文: GB/T 9704 prints the 签发人 beside the number. */
export const UPWARD_DOC_TYPES: readonly string[] = ["报告", "请示", "议案"];

export const URGENCIES = ["normal", "urgent", "extra_urgent"] as const;
export type Urgency = (typeof URGENCIES)[number];

export const CLASSIFICATIONS = ["none", "secret", "confidential", "top_secret"] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export type DocDirection = "outgoing" | "incoming";
export const DOC_DIRECTIONS: readonly DocDirection[] = ["outgoing", "incoming"];

/** 拟稿 → 核稿 → 会签 → 签发 → 编号 → 用印 → 分发 (or 撤回). */
export const OUTGOING_STATUSES = [
  "draft",
  "reviewing",
  "countersigning",
  "signing",
  "signed_off",
  "numbered",
  "sealed",
  "distributed",
  "withdrawn",
] as const;
/** 签收 → 拟办 → 批办 → 承办 → 办结 → 归档. */
export const INCOMING_STATUSES = [
  "pending",
  "received",
  "proposed",
  "instructed",
  "handled",
  "closed",
  "archived",
] as const;
export type DocStatus = (typeof OUTGOING_STATUSES)[number] | (typeof INCOMING_STATUSES)[number];

export interface DocRecipient {
  departmentId: string;
  role: "main" | "cc";
}

/** The GB/T 9704 elements a drafter writes; the flow fills in the rest (number, signer, seal). */
export interface DocumentElements {
  title: string;
  docType: DocType;
  body: string;
  urgency: Urgency;
  classification: Classification;
  /** 保密期限, e.g. "5年" */
  secrecyPeriod: string | null;
  /** 份号: six digits */
  copyNo: string | null;
  /** 发文机关标志, e.g. "云溪区人民政府文件" */
  organMark: string;
  mainRecipients: string[];
  attachmentNotes: string[];
  signatureOrg: string;
  writtenDate: string | null;
  note: string | null;
  ccRecipients: string[];
  printingOrg: string | null;
  printingDate: string | null;
  recipients: DocRecipient[];
  countersignDepartmentIds: string[];
}

/** A document as lists show it (no body). */
export interface DocumentSummary extends Omit<DocumentElements, "body"> {
  id: string;
  direction: DocDirection;
  status: DocStatus;
  departmentId: string;
  departmentName: string;
  /** the issuing organ (the nearest department up the tree with a 机关代字) */
  organId?: string;
  organCode: string;
  /** 发文字号, e.g. 云府办〔2026〕12号 */
  number: string | null;
  signer: string | null;
  signedOffAt: string | null;
  sealedAt: string | null;
  sourceDocumentId: string | null;
  instanceId: string | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
  createdBy: UserRef;
}

/** An open step of the document's flow: a workflow task, `mine` when the caller may act on it. */
export interface DocumentStep {
  taskId: string;
  elementId: string;
  name: string;
  mine: boolean;
}

export interface DocumentFile {
  id: string;
  kind: "attachment" | "sealed_pdf";
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
  createdAt: string;
  url: string;
}

/** One recipient department of a distributed document: whether it signed for it (签收) and read it. */
export interface DistributionEntry {
  departmentId: string;
  departmentName: string;
  role: "main" | "cc";
  incomingDocumentId: string;
  sentAt: string;
  receivedAt: string | null;
  receivedByName: string | null;
  firstReadAt: string | null;
  readers: number;
}

export interface DocumentPermissions {
  edit: boolean;
  submit: boolean;
  number: boolean;
  distribute: boolean;
}

export interface DocumentDetail extends DocumentSummary {
  body: string;
  steps: DocumentStep[];
  files: DocumentFile[];
  distribution: DistributionEntry[];
  permissions: DocumentPermissions;
}

export interface DiffOp {
  op: "equal" | "insert" | "delete";
  text: string;
}

/** Who changed what: the fields changed and the body's track changes (null when the body stayed). */
export interface DocumentRevision {
  revision: number;
  changedById: string | null;
  changedByName: string;
  changedAt: string;
  changes: Record<string, { from: unknown; to: unknown }>;
  bodyDiff: DiffOp[] | null;
  comment: string | null;
}

export interface DocumentQuery {
  direction?: DocDirection;
  status?: string;
  q?: string;
  /** only documents I have not opened yet (待阅) */
  unread?: boolean;
  page?: number;
  pageSize?: number;
}

export type CreateDocumentInput = Pick<DocumentElements, "title" | "docType" | "body"> &
  Partial<Omit<DocumentElements, "title" | "docType" | "body">>;
export type UpdateDocumentInput = Partial<DocumentElements> & { revision?: number; comment?: string };

export const listDocuments = (query: DocumentQuery, signal?: AbortSignal) =>
  api.get<Paged<DocumentSummary & { readByMe: boolean }>>("/api/office/documents", { ...query }, signal);

/** How many documents I see, by direction and status (the leader's statistics). */
export const documentStats = (signal?: AbortSignal) =>
  api.get<{ direction: DocDirection; status: string; count: number }[]>(
    "/api/office/documents/stats",
    undefined,
    signal,
  );

/** Reading a document records that the caller read it (the sender's 已阅 count). */
export const getDocument = (id: string, signal?: AbortSignal) =>
  api.get<DocumentDetail>(`/api/office/documents/${enc(id)}`, undefined, signal);

export const createDocument = (input: CreateDocumentInput) =>
  api.post<DocumentDetail>("/api/office/documents", input);

export const updateDocument = (id: string, input: UpdateDocumentInput) =>
  api.patch<DocumentDetail>(`/api/office/documents/${enc(id)}`, input);

export const listRevisions = (id: string, signal?: AbortSignal) =>
  api.get<DocumentRevision[]>(`/api/office/documents/${enc(id)}/revisions`, undefined, signal);

/**
 * 送审: starts the 发文 flow. 核稿 and 签发 go to the people named here (usernames), or else to the
 * department's approvers and the issuing organ's leaders.
 */
export const submitDocument = (id: string, choice: { reviewer?: string; signer?: string } = {}) =>
  api.post<DocumentDetail>(`/api/office/documents/${enc(id)}/submit`, choice);

/** 编号: the next 发文字号 of the issuing organ and year. */
export const numberDocument = (id: string) =>
  api.post<DocumentDetail>(`/api/office/documents/${enc(id)}/number`, {});

/** 分发: to these departments, or to the recipients the document names when omitted. */
export const distributeDocument = (id: string, recipients?: DocRecipient[]) =>
  api.post<DocumentDetail>(`/api/office/documents/${enc(id)}/distribute`, recipients ? { recipients } : {});

export const uploadAttachment = (id: string, file: File) =>
  api.post<{ id: string; name: string; size: number; sha256: string }>(
    `/api/office/documents/${enc(id)}/attachments`,
    file,
    { contentType: file.type || "application/octet-stream", query: { name: file.name } },
  );

/** The GB/T 9704 rendering: the sealed file once 用印 is done, else a draft rendering. */
export const documentPdfUrl = (id: string) => `/api/office/documents/${enc(id)}/pdf`;

// ─── supervision (督办) ──────────────────────────────────────────────────────────────────────

/** The board colour: red overdue, yellow due soon or a report late, green on track, done closed. */
export type Light = "red" | "yellow" | "green" | "done";
export const LIGHTS: readonly Light[] = ["red", "yellow", "green", "done"];

export const SUPERVISION_SOURCES = ["instruction", "document", "meeting", "case"] as const;
export type SupervisionSource = (typeof SUPERVISION_SOURCES)[number];

/** Roles that may assign supervision items (the server's ASSIGNING_ROLES). */
export const SUPERVISION_ASSIGNING_ROLES: readonly string[] = ["leader", "officer", "dispatcher", "admin"];

export interface SupervisionItem {
  id: string;
  title: string;
  description: string;
  sourceType: SupervisionSource;
  sourceRef: string | null;
  leadDepartmentId: string;
  leadDepartmentName: string;
  coDepartments: { id: string; name: string }[];
  dueAt: string;
  reportEveryDays: number | null;
  remindDays: number;
  status: "open" | "completed";
  progress: number;
  lastReportAt: string | null;
  escalatedAt: string | null;
  escalationLevel: number;
  createdBy: UserRef;
  createdAt: string;
  completedAt: string | null;
  light: Light;
}

export interface SupervisionReport {
  id: string;
  departmentId: string;
  departmentName: string;
  reportedById: string;
  reportedByName: string;
  progress: number;
  text: string;
  completes: boolean;
  createdAt: string;
}

export interface SupervisionDetail extends SupervisionItem {
  reports: SupervisionReport[];
}

export type LightCounts = Record<Light, number>;

export interface SupervisionBoard {
  totals: LightCounts;
  departments: ({ departmentId: string; departmentName: string } & LightCounts)[];
  /** red and yellow items, the most urgent first */
  attention: SupervisionItem[];
}

export interface CreateSupervisionInput {
  title: string;
  description: string;
  sourceType: SupervisionSource;
  sourceRef?: string;
  leadDepartmentId: string;
  coDepartmentIds?: string[];
  /** an instant, or … */
  dueAt?: string;
  /** … the end of the n-th working day from today */
  dueInWorkingDays?: number;
  reportEveryDays?: number | null;
  remindDays?: number;
}

export const listSupervision = (
  query: { status?: "open" | "completed"; light?: Light; limit?: number },
  signal?: AbortSignal,
) => api.get<SupervisionItem[]>("/api/office/supervision", { ...query }, signal);

export const getSupervisionBoard = (signal?: AbortSignal) =>
  api.get<SupervisionBoard>("/api/office/supervision/board", undefined, signal);

export const getSupervision = (id: string, signal?: AbortSignal) =>
  api.get<SupervisionDetail>(`/api/office/supervision/${enc(id)}`, undefined, signal);

export const createSupervision = (input: CreateSupervisionInput) =>
  api.post<SupervisionItem>("/api/office/supervision", input);

/** An owner department reports progress; the lead department closes the item with `completes`. */
export const reportSupervision = (
  id: string,
  input: { progress: number; text: string; completes?: boolean },
) => api.post<SupervisionDetail>(`/api/office/supervision/${enc(id)}/reports`, input);

// ─── notices (通知公告) ──────────────────────────────────────────────────────────────────────

export interface Notice {
  id: string;
  /** announcement (通知公告), document_distributed, supervision.assigned, … */
  kind: string;
  title: string;
  body: string;
  /** a path in this web app */
  link: string | null;
  sourceType: string | null;
  sourceId: string | null;
  audience: "personal" | "department" | "district";
  department: UserRef | null;
  publishedBy: UserRef | null;
  createdAt: string;
  readAt: string | null;
}

export interface NoticePage extends Paged<Notice> {
  unread: number;
}

/** Mine, unread first, newest first. */
export const listNotices = (
  query: { unread?: boolean; page?: number; pageSize?: number },
  signal?: AbortSignal,
) => api.get<NoticePage>("/api/office/notices", { ...query }, signal);

export const markNoticeRead = (id: string) => api.post<Notice>(`/api/office/notices/${enc(id)}/read`, {});

// ─── what the office pages need of chat, the organisation and the calendar ───────────────────

/** The chat room of a document or supervision item (created on first use), to discuss it. */
export const openDiscussion = (link: { type: "document" | "supervision"; id: string; title: string }) =>
  api.post<{ id: string }>("/api/office/chat/links", link);

/** Unread chat messages over all my rooms. */
export async function unreadMessages(signal?: AbortSignal): Promise<number> {
  const rooms = await api.get<{ items: { unreadCount: number }[] }>(
    "/api/office/chat/rooms",
    undefined,
    signal,
  );
  return rooms.items.reduce((sum, room) => sum + room.unreadCount, 0);
}

export interface OrgDepartment {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
  staffCount: number;
}

/**
 * The organisation tree as a flat list, for picking 会签/分发 departments and supervision owners.
 * Staff read it from the directory (通讯录): the server has no other department list open to staff.
 */
export const listOrgDepartments = (signal?: AbortSignal) =>
  api.get<{ items: OrgDepartment[] }>("/api/office/chat/directory/departments", undefined, signal);

/** Public holidays and make-up working days (调休) of a year. */
export const getHolidayYear = (year: number, signal?: AbortSignal) =>
  api.get<HolidayYear>("/api/calendar/holidays", { year }, signal);

/** Working days after `from` up to and including `to` (negative when `to` lies before `from`). */
export const workingDaysBetween = (from: string, to: string, signal?: AbortSignal) =>
  api.get<{ from: string; to: string; workingDays: number }>(
    "/api/calendar/working-days",
    { from, to },
    signal,
  );
