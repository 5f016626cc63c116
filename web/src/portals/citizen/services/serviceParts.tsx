import { PauseCircleOutlined } from "@ant-design/icons";
import { Alert, Tag, Tooltip } from "antd";
import { isApiError } from "../../../shared/api";
import { ProblemAlert } from "../../../shared/components/ProblemAlert";
import { errorDetail, errorMessage } from "../../../shared/errors";
import type { MessageKey, Translate } from "../../../shared/i18n";
import { useT } from "../../../shared/i18n";
import {
  type ApplicationStatus,
  type ApplicationSummary,
  type Deadline,
  LIFE_EVENT_KEYS,
  type LifeEvent,
} from "../../../shared/services";
import "./services.css";

const STATUS_COLORS: Record<ApplicationStatus, string> = {
  draft: "default",
  submitted: "processing",
  "correction-requested": "warning",
  "not-accepted": "error",
  accepted: "processing",
  approved: "success",
  denied: "error",
  delivered: "success",
  withdrawn: "default",
};

export function StatusTag({ status, t }: { status: ApplicationStatus; t: Translate }) {
  return (
    <Tag color={STATUS_COLORS[status] ?? "default"} data-testid="services-status" data-status={status}>
      {t(`services.status.${status}`)}
    </Tag>
  );
}

/** Statuses whose clock no longer runs: the deadline is history, not a warning. */
const CLOSED: readonly ApplicationStatus[] = [
  "draft",
  "not-accepted",
  "approved",
  "denied",
  "delivered",
  "withdrawn",
];

const LEVEL_COLORS = { normal: "green", yellow: "gold", red: "red" } as const;

/** 承诺时限: green, yellow or red with the working days left; 暂停计时 while a correction or special step runs. */
export function DeadlineTag({
  deadline,
  status,
  t,
}: {
  deadline: Deadline | null;
  status: ApplicationStatus;
  t: Translate;
}) {
  if (!deadline || CLOSED.includes(status)) return <span className="ff-muted">—</span>;
  if (deadline.paused) {
    return (
      <Tooltip title={deadline.pauseReason ?? undefined}>
        <Tag
          icon={<PauseCircleOutlined />}
          color="default"
          data-testid="services-deadline"
          data-level="paused"
        >
          {t("services.deadline.paused")}
        </Tag>
      </Tooltip>
    );
  }
  // The server counts remaining days down to 0; past the due time the level turns red.
  const days = deadline.remainingDays;
  const text =
    days < 0
      ? t("services.deadline.overdue", { days: -days })
      : deadline.level === "red"
        ? t("services.deadline.late")
        : days === 0
          ? t("services.deadline.today")
          : t("services.deadline.left", { days });
  return (
    <Tooltip title={deadline.dueAt ? t("services.deadline.dueAt", { at: formatDay(deadline.dueAt) }) : null}>
      <Tag
        color={LEVEL_COLORS[deadline.level] ?? "green"}
        data-testid="services-deadline"
        data-level={deadline.level}
      >
        {text}
      </Tag>
    </Tooltip>
  );
}

function formatDay(iso: string): string {
  return new Intl.DateTimeFormat("zh-CN", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  })
    .format(new Date(iso))
    .replaceAll("/", "-");
}

/** 承诺时限 / 法定时限: "5 个工作日", or 即办 for 0. */
export function daysText(days: number, t: Translate): string {
  return days === 0 ? t("services.days.instant") : t("services.days.working", { days });
}

/** ¥ from integer fen; 不收费 for 0. */
export function feeText(fen: number, t: Translate): string {
  if (!fen) return t("services.fee.free");
  return t("services.fee.amount", { amount: (fen / 100).toFixed(2) });
}

export function isLifeEvent(key: string): key is LifeEvent {
  return (LIFE_EVENT_KEYS as readonly string[]).includes(key);
}

/** A life event's name in the user's language; an unknown key keeps the server's name. */
export function lifeEventName(key: string, t: Translate, serverName?: string): string {
  return isLifeEvent(key) ? t(`services.lifeEvent.${key}`) : (serverName ?? key);
}

/** The applicant as a clerk sees them: name and masked ID number. */
export function ApplicantText({ app }: { app: Pick<ApplicationSummary, "applicant" | "onBehalf"> }) {
  const t = useT();
  return (
    <span>
      {app.applicant.name} <span className="ff-mono ff-muted ff-small">{app.applicant.idMasked}</span>
      {app.onBehalf && (
        <Tag color="purple" className="ff-svc-inline-tag">
          {t("services.onBehalf")}
        </Tag>
      )}
    </span>
  );
}

/** Service problem codes the page words itself; the others go through the shared messages. */
const SERVICE_PROBLEMS: Record<string, MessageKey> = {
  SERVICE_NOT_FOUND: "services.problem.serviceNotFound",
  SERVICE_NOT_PUBLISHED: "services.problem.notPublished",
  WRONG_APPLICANT_TYPE: "services.problem.wrongApplicant",
  APPLICATION_NOT_FOUND: "services.problem.applicationNotFound",
  APPLICATION_NOT_EDITABLE: "services.problem.notEditable",
  APPLICATION_WRONG_STATE: "services.problem.wrongState",
  MATERIALS_MISSING: "services.problem.materialsMissing",
  MATERIAL_NOT_FOUND: "services.problem.materialNotFound",
  MATERIAL_REJECTED: "services.problem.materialRejected",
  MATERIAL_TOO_LARGE: "services.problem.materialSize",
  SUBJECT_NOT_FOUND: "services.problem.subjectNotFound",
  NOT_HANDLING_DEPARTMENT: "services.problem.notHandlingDepartment",
  SPECIAL_STEP_OPEN: "services.problem.specialStepOpen",
  ALREADY_RATED: "services.problem.alreadyRated",
  TRACKING_NOT_FOUND: "services.problem.trackingNotFound",
};

export function serviceErrorMessage(error: unknown, t: Translate): string {
  const key = isApiError(error) ? SERVICE_PROBLEMS[error.code] : undefined;
  return key ? t(key) : errorMessage(error, t);
}

/** ProblemAlert with the service codes in the user's language (the server's detail stays below). */
export function ServiceProblem({
  error,
  onRetry,
  extra,
  testId = "problem-alert",
}: {
  error: unknown;
  onRetry?: () => void;
  extra?: { field: string; message: string }[];
  testId?: string;
}) {
  const t = useT();
  if (!error) return null;
  const code = isApiError(error) ? error.code : undefined;
  if (!code || !SERVICE_PROBLEMS[code]) {
    return (
      <div className="ff-svc-problem" data-code={code}>
        <ProblemAlert
          error={error}
          testId={testId}
          {...(extra ? { extra } : {})}
          {...(onRetry ? { onRetry } : {})}
        />
      </div>
    );
  }
  const lines = [errorDetail(error, t), ...(extra ?? []).map((e) => `${e.field}: ${e.message}`)].filter(
    (l): l is string => Boolean(l),
  );
  return (
    <Alert
      type="error"
      showIcon
      className="ff-svc-problem"
      data-testid={testId}
      data-code={code}
      title={serviceErrorMessage(error, t)}
      description={lines.length ? lines.map((l) => <div key={l}>{l}</div>) : undefined}
      action={
        onRetry ? (
          <button type="button" className="ff-link-button" onClick={onRetry}>
            {t("common.retry")}
          </button>
        ) : undefined
      }
    />
  );
}
