import { Alert, Tag } from "antd";
import type { ReactNode } from "react";
import { isApiError } from "../../shared/api";
import { useMe } from "../../shared/auth";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import {
  CATALOG_EDITING_ROLES,
  CATEGORIES,
  DATA_OFFICER_ROLES,
  type ErrorReportStatus,
  type Facet,
  type FacetValue,
  GRADES,
  type Grade,
  type GrantStatus,
  OPEN_REQUEST_STATUSES,
  OPEN_TYPES,
  type OpenType,
  type RequestStatus,
  type RequestView,
  SHARING_METHODS,
  SHARING_TYPES,
  type SharingMethod,
  type SharingType,
  UPDATE_CYCLES,
  type UpdateCycle,
} from "../../shared/datahub";
import { errorMessage } from "../../shared/errors";
import { type Locale, type MessageKey, type Translate, useT } from "../../shared/i18n";
import "./datahub.css";

/** Data hub problem codes with a message of their own; the rest as the app words them. */
const DATAHUB_PROBLEMS: Record<string, MessageKey> = {
  NOT_A_DEPARTMENT_MEMBER: "datahub.problem.notMember",
  RESOURCE_NOT_SHAREABLE: "datahub.problem.notShareable",
  RESOURCE_CODE_TAKEN: "datahub.problem.codeTaken",
  RESOURCE_WITHDRAWN: "datahub.problem.withdrawn",
  NOT_PROVIDER: "datahub.problem.notProvider",
  RESPONSIBILITY_CONFLICT: "datahub.problem.responsibilityConflict",
  NO_AUTHORITY: "datahub.problem.noAuthority",
  REQUEST_NOT_DISPUTABLE: "datahub.problem.notDisputable",
  REQUEST_CLOSED: "datahub.problem.requestClosed",
  OWN_RESOURCE: "datahub.problem.ownResource",
  GRANT_NOT_ACTIVE: "datahub.problem.grantNotActive",
};

/** A problem in the user's language; a responsibility conflict names the department holding the field. */
export function datahubErrorMessage(error: unknown, t: Translate): string {
  const key = isApiError(error) ? DATAHUB_PROBLEMS[error.code] : undefined;
  if (!key || !isApiError(error)) return errorMessage(error, t);
  const holder = error.problem.holder;
  return t(key, { holder: typeof holder === "string" ? holder : "—" });
}

/**
 * ProblemAlert, with the data hub's own codes worded in the user's language. Their server detail is left
 * out: it repeats the same in English or names only what the message already says.
 */
export function DatahubProblem({
  error,
  extra,
  onRetry,
  testId,
}: {
  error: unknown;
  extra?: { field: string; message: string }[];
  onRetry?: () => void;
  testId?: string;
}) {
  const t = useT();
  if (!error) return null;
  if (!(isApiError(error) && DATAHUB_PROBLEMS[error.code])) {
    return (
      <ProblemAlert
        error={error}
        {...(extra ? { extra } : {})}
        {...(onRetry ? { onRetry } : {})}
        {...(testId ? { testId } : {})}
        style={{ marginBottom: 16 }}
      />
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid={testId ?? "problem-alert"}
      data-code={error.code}
      title={datahubErrorMessage(error, t)}
    />
  );
}

/**
 * What the signed-in user may do here: register resources; act for the department as an officer (client
 * systems, revoking grants it gave); everything as the data bureau (数据管理局).
 */
export function useDatahubRoles() {
  const me = useMe();
  return {
    userId: me.id,
    mayRegister: me.roles.some((r) => CATALOG_EDITING_ROLES.includes(r)),
    officer: me.roles.some((r) => DATA_OFFICER_ROLES.includes(r)),
    bureau: me.roles.includes("databureau") || me.roles.includes("admin"),
    departmentId: me.department?.id ?? null,
  };
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

type CategoryCode = `datahub.category.${string}` & MessageKey;

/** 资源分类 in the user's language; a category the web app does not know keeps the server's name. */
export function categoryName(code: string, serverName: string, t: Translate): string {
  return CATEGORIES.some((c) => c.code === code) ? t(`datahub.category.${code}` as CategoryCode) : serverName;
}

/** A facet value's label: enums and categories in the user's language, departments as the server names them. */
export function facetLabel(facet: Facet, value: FacetValue, t: Translate): string {
  const v = value.value;
  switch (facet) {
    case "category":
      return categoryName(v, value.label, t);
    case "sharingType":
      return isOneOf<SharingType>(SHARING_TYPES, v) ? t(`datahub.sharingType.${v}`) : value.label;
    case "sharingMethod":
      return isOneOf<SharingMethod>(SHARING_METHODS, v) ? t(`datahub.sharingMethod.${v}`) : value.label;
    case "openType":
      return isOneOf<OpenType>(OPEN_TYPES, v) ? t(`datahub.openType.${v}`) : value.label;
    case "updateCycle":
      return isOneOf<UpdateCycle>(UPDATE_CYCLES, v) ? t(`datahub.updateCycle.${v}`) : value.label;
    case "grade":
      return isOneOf<Grade>(GRADES, v) ? t(`datahub.grade.${v}`) : value.label;
    default:
      return value.label;
  }
}

const GRADE_COLORS: Record<Grade, string> = { general: "blue", important: "orange", core: "red" };

export function GradeTag({ grade, t }: { grade: Grade; t: Translate }) {
  return (
    <Tag color={GRADE_COLORS[grade] ?? "default"} data-grade={grade}>
      {t(`datahub.grade.${grade}`)}
    </Tag>
  );
}

const SHARING_TYPE_COLORS: Record<SharingType, string> = {
  unconditional: "green",
  conditional: "gold",
  none: "default",
};

export function SharingTypeTag({ type, t }: { type: SharingType; t: Translate }) {
  return (
    <Tag color={SHARING_TYPE_COLORS[type] ?? "default"} data-sharing-type={type}>
      {t(`datahub.sharingType.${type}`)}
    </Tag>
  );
}

const REQUEST_STATUS_COLORS: Record<RequestStatus, string> = {
  checking: "processing",
  "provider-review": "processing",
  granted: "success",
  refused: "error",
  disputed: "warning",
  withdrawn: "default",
};

export function RequestStatusTag({ status, t }: { status: RequestStatus; t: Translate }) {
  return (
    <Tag color={REQUEST_STATUS_COLORS[status] ?? "default"} data-testid="request-status" data-status={status}>
      {t(`datahub.request.status.${status}`)}
    </Tag>
  );
}

/** Still waiting for someone, and past the time it should have been decided by. */
export function isOverdue(request: Pick<RequestView, "status" | "dueAt">, now = Date.now()): boolean {
  return (
    OPEN_REQUEST_STATUSES.includes(request.status) &&
    request.dueAt !== null &&
    Date.parse(request.dueAt) < now
  );
}

/** 已超期 and 已督办 (escalated to the data bureau) flags of a request. */
export function RequestFlags({ request, t }: { request: RequestView; t: Translate }) {
  return (
    <>
      {isOverdue(request) && (
        <Tag color="red" data-testid="request-overdue">
          {t("datahub.request.overdue")}
        </Tag>
      )}
      {request.escalated && OPEN_REQUEST_STATUSES.includes(request.status) && (
        <Tag color="volcano" data-testid="request-escalated">
          {t("datahub.request.escalated")}
        </Tag>
      )}
    </>
  );
}

const GRANT_STATUS_COLORS: Record<GrantStatus, string> = {
  active: "success",
  expired: "default",
  revoked: "error",
};

export function GrantStatusTag({ status, t }: { status: GrantStatus; t: Translate }) {
  return (
    <Tag color={GRANT_STATUS_COLORS[status] ?? "default"} data-testid="grant-status" data-status={status}>
      {t(`datahub.grant.status.${status}`)}
    </Tag>
  );
}

const ERROR_REPORT_COLORS: Record<ErrorReportStatus, string> = {
  open: "processing",
  accepted: "success",
  rejected: "default",
};

export function ErrorReportStatusTag({ status, t }: { status: ErrorReportStatus; t: Translate }) {
  return (
    <Tag color={ERROR_REPORT_COLORS[status] ?? "default"} data-testid="error-report-status">
      {t(`datahub.errors.status.${status}`)}
    </Tag>
  );
}

/** "in 3 days", "2 hours ago": the time until (or since) an instant, in the user's language. */
export function relativeTime(value: string, locale: Locale, now = Date.now()): string {
  const diff = Date.parse(value) - now;
  if (Number.isNaN(diff)) return value;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const minutes = Math.round(diff / 60_000);
  if (Math.abs(minutes) < 60) return format.format(minutes, "minute");
  const hours = Math.round(diff / 3_600_000);
  if (Math.abs(hours) < 48) return format.format(hours, "hour");
  const days = Math.round(diff / 86_400_000);
  if (Math.abs(days) < 60) return format.format(days, "day");
  return format.format(Math.round(days / 30), "month");
}

const wordSegmenter = new Intl.Segmenter("zh-CN", { granularity: "word" });

/** The words of a query as the catalog search cuts them (Chinese by Intl.Segmenter), longest first. */
export function queryWords(q: string): string[] {
  const words = new Set<string>();
  for (const part of wordSegmenter.segment(q.trim())) if (part.isWordLike) words.add(part.segment);
  return [...words].sort((a, b) => b.length - a.length);
}

/** The text with every word of the query marked (case-insensitive); the text is never parsed as HTML. */
export function Marked({ text, q }: { text: string; q: string }) {
  const words = queryWords(q).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (words.length === 0) return <>{text}</>;
  const parts = text.split(new RegExp(`(${words.join("|")})`, "gi"));
  const nodes: ReactNode[] = parts.map((part, i) =>
    i % 2 === 1 ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text never move
      <mark key={i} className="ff-mark">
        {part}
      </mark>
    ) : (
      part
    ),
  );
  return <>{nodes}</>;
}
