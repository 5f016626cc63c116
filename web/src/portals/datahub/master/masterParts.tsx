import { LockOutlined } from "@ant-design/icons";
import { Alert, Progress, Result, Segmented, Tag, Tooltip } from "antd";
import { isApiError } from "../../../shared/api";
import { useMe } from "../../../shared/auth";
import { BASES, type Base } from "../../../shared/datahub";
import type { MessageKey, Translate } from "../../../shared/i18n";
import { useT } from "../../../shared/i18n";
import {
  type ChoiceRule,
  type FieldValue,
  fieldsOf,
  type LoadStatus,
  MASTER_OFFICER_ROLES,
  type QualityRule,
} from "../../../shared/masterdata";
import { DatahubProblem, datahubErrorMessage } from "../datahubParts";
import "../datahub.css";

/** What the signed-in user may do with master data: officers manage sources, loads and reviews. */
export function useMasterRoles() {
  const me = useMe();
  return {
    officer: me.roles.some((r) => MASTER_OFFICER_ROLES.includes(r)),
    bureau: me.roles.includes("databureau") || me.roles.includes("admin"),
  };
}

export function isBase(value: string | null | undefined): value is Base {
  return (BASES as readonly string[]).includes(value ?? "");
}

/** A page only the officers use, shown to someone else (a leader sees the portal too). */
export function MasterForbidden({ testId }: { testId: string }) {
  const t = useT();
  return (
    <Result
      status="403"
      title={t("master.forbidden.title")}
      subTitle={t("master.forbidden.detail")}
      data-testid={testId}
    />
  );
}

// ─── names ───────────────────────────────────────────────────────────────────────────────────

export const BASE_NAMES: Record<Base, MessageKey> = {
  population: "datahub.resp.base.population",
  legalPerson: "datahub.resp.base.legalPerson",
};

export function BaseTag({ base, t }: { base: Base; t: Translate }) {
  return (
    <Tag color={base === "population" ? "blue" : "purple"} data-base={base}>
      {t(BASE_NAMES[base])}
    </Tag>
  );
}

/** 全部 / 人口库 / 法人库, for lists that show both bases. */
export function BaseFilter({
  value,
  onChange,
  testId,
}: {
  value: Base | null;
  onChange: (base: Base | null) => void;
  testId: string;
}) {
  const t = useT();
  return (
    <Segmented<string>
      value={value ?? "all"}
      onChange={(v) => onChange(isBase(v) ? v : null)}
      options={["all", ...BASES].map((b) => ({
        value: b,
        label: (
          <span data-testid={`${testId}-${b}`}>{isBase(b) ? t(BASE_NAMES[b]) : t("master.base.all")}</span>
        ),
      }))}
    />
  );
}

/** A field's title in the user's language; a field the web app does not know keeps the server's title. */
export function fieldTitle(base: Base, field: string, t: Translate, serverTitle?: string): string {
  if (!fieldsOf(base).includes(field)) return serverTitle ?? field;
  return t(`master.field.${base}.${field}` as MessageKey);
}

const RULE_COLORS: Record<ChoiceRule, string> = { authority: "green", recency: "blue", only: "default" };

/** Why a golden record holds a value: 权威部门 / 最新 / 唯一来源. */
export function RuleTag({ rule, t }: { rule: ChoiceRule; t: Translate }) {
  return (
    <Tooltip title={t(`master.rule.${rule}.hint`)}>
      <Tag color={RULE_COLORS[rule] ?? "default"} data-rule={rule}>
        {t(`master.rule.${rule}`)}
      </Tag>
    </Tooltip>
  );
}

const LOAD_STATUS_COLORS: Record<LoadStatus, string> = {
  running: "processing",
  completed: "success",
  failed: "error",
};

export function LoadStatusTag({ status, t }: { status: LoadStatus; t: Translate }) {
  return (
    <Tag color={LOAD_STATUS_COLORS[status] ?? "default"} data-status={status}>
      {t(`master.load.status.${status}`)}
    </Tag>
  );
}

/** A value as the registry shows it; a masked one with a lock that says why. */
export function ValueText({
  value,
  masked,
  t,
  testId,
}: {
  value: FieldValue | undefined;
  masked?: boolean;
  t: Translate;
  testId?: string;
}) {
  const text = value === null || value === undefined || value === "" ? "—" : String(value);
  if (!masked) return <span className="ff-master-value">{text}</span>;
  return (
    <Tooltip title={t("master.masked")}>
      <span className="ff-master-value ff-master-masked" data-testid={testId} data-masked="true">
        <LockOutlined aria-label={t("master.maskedShort")} /> {text}
      </span>
    </Tooltip>
  );
}

// ─── scores ──────────────────────────────────────────────────────────────────────────────────

/** 0..1 as "98.5%"; "—" when the rule did not apply. */
export function percent(score: number | null | undefined): string {
  if (score === null || score === undefined) return "—";
  const p = Math.round(score * 1000) / 10;
  return `${p}%`;
}

/** Green from 95 %, gold from 80 %, red below. */
export function scoreStatus(score: number): "good" | "fair" | "poor" {
  return score >= 0.95 ? "good" : score >= 0.8 ? "fair" : "poor";
}

const PROGRESS_COLORS = { good: "#389e0d", fair: "#d48806", poor: "#cf1322" };

export function ScoreProgress({ score, testId }: { score: number | null | undefined; testId?: string }) {
  if (score === null || score === undefined) return <span className="ff-muted">—</span>;
  const p = Math.round(score * 1000) / 10;
  return (
    <Progress
      percent={p}
      size="small"
      strokeColor={PROGRESS_COLORS[scoreStatus(score)]}
      format={() => `${p}%`}
      data-testid={testId}
      className="ff-master-progress"
    />
  );
}

export const RULE_NAMES: Record<QualityRule | "overall", MessageKey> = {
  completeness: "master.quality.rule.completeness",
  validity: "master.quality.rule.validity",
  uniqueness: "master.quality.rule.uniqueness",
  consistency: "master.quality.rule.consistency",
  timeliness: "master.quality.rule.timeliness",
  overall: "master.quality.rule.overall",
};

// ─── the server's reasons, in the user's language ────────────────────────────────────────────

/** The server words a load's problems in English; the known ones are shown in the user's language. */
const REASONS: [RegExp, MessageKey][] = [
  [/^has (?<n>\d+) columns, the header has (?<m>\d+)$/, "master.reason.columns"],
  [/^the key column (?<column>.+) is empty$/, "master.reason.keyEmpty"],
  [/^the header has no key column (?<column>.+)$/, "master.reason.noKeyColumn"],
  [/^the header has no column (?<column>.+): its field stays empty$/, "master.reason.missingColumn"],
  [/^no column of the mapping is in the header$/, "master.reason.noMappedColumn"],
  [/^(?<column>.+) holds a structure, not a value: left empty$/, "master.reason.structure"],
  [/^holds none of the mapped columns$/, "master.reason.noneMapped"],
  [/^repeats record id (?<id>.+) of line (?<line>\d+)$/, "master.reason.repeatsLine"],
  [/^repeats record id (?<id>.+)$/, "master.reason.repeats"],
  [/^not valid JSON$/, "master.reason.json"],
  [/^not a JSON object$/, "master.reason.jsonObject"],
  [/^not a JSON array/, "master.reason.jsonArray"],
  [/^cannot be read as CSV: (?<detail>.*)$/, "master.reason.csv"],
  [/^the file is empty$/, "master.reason.empty"],
  [/^the load stopped/, "master.reason.stopped"],
];

export function reasonText(reason: string, t: Translate): string {
  for (const [pattern, key] of REASONS) {
    const match = pattern.exec(reason);
    if (match) return t(key, { ...match.groups });
  }
  return reason;
}

/** Why a value failed a quality rule or standardisation: missing, repeated, differs, format, checksum… */
const FAILURE_REASONS = ["missing", "repeated", "differs", "format", "checksum", "range", "unknown"] as const;

export function failureReason(reason: string | null | undefined, t: Translate): string {
  if (!reason) return "—";
  return (FAILURE_REASONS as readonly string[]).includes(reason)
    ? t(`master.failure.${reason as (typeof FAILURE_REASONS)[number]}`)
    : reason;
}

/** A history entry's reason, "ps-household joined, ca-residents changed", as sentences. */
export function historyReason(reason: string, sourceName: (code: string) => string, t: Translate): string {
  if (!reason) return t("master.history.created");
  return reason
    .split(", ")
    .map((part) => {
      const m = /^(\S+) (joined|changed|left)$/.exec(part);
      return m
        ? t(`master.history.${m[2] as "joined" | "changed" | "left"}`, { source: sourceName(m[1]!) })
        : part;
    })
    .join(t("common.listSeparator"));
}

// ─── problems ────────────────────────────────────────────────────────────────────────────────

const MASTER_PROBLEMS: Record<string, MessageKey> = {
  SOURCE_NOT_FOUND: "master.problem.sourceNotFound",
  NOT_SOURCE_DEPARTMENT: "master.problem.notSourceDepartment",
  SOURCE_BASE_FIXED: "master.problem.baseFixed",
  LOAD_NOT_FOUND: "master.problem.loadNotFound",
  LOAD_REFUSED: "master.problem.loadRefused",
  UNSUPPORTED_DATASET_TYPE: "master.problem.unsupportedType",
  GOLDEN_NOT_FOUND: "master.problem.goldenNotFound",
  REVIEW_NOT_FOUND: "master.problem.reviewNotFound",
  REVIEW_DECIDED: "master.problem.reviewDecided",
  REVIEW_NOT_DECIDED: "master.problem.reviewNotDecided",
  REVIEW_STALE: "master.problem.reviewStale",
  KEYS_CONFLICT: "master.problem.keysConflict",
  NOT_AUTHORITATIVE: "master.problem.notAuthoritative",
};

/** A master-data problem in the user's language; a refused load says why. */
export function masterErrorMessage(error: unknown, t: Translate): string {
  const key = isApiError(error) ? MASTER_PROBLEMS[error.code] : undefined;
  if (!key || !isApiError(error)) return datahubErrorMessage(error, t);
  if (error.code === "LOAD_REFUSED" && error.detail)
    return t("master.problem.loadRefusedBecause", { reason: reasonText(error.detail, t) });
  return t(key);
}

/** DatahubProblem, with the master-data codes worded in the user's language. */
export function MasterProblem({
  error,
  onRetry,
  extra,
  testId,
}: {
  error: unknown;
  onRetry?: () => void;
  extra?: { field: string; message: string }[];
  testId?: string;
}) {
  const t = useT();
  if (!error) return null;
  if (!(isApiError(error) && MASTER_PROBLEMS[error.code]))
    return (
      <DatahubProblem
        error={error}
        {...(onRetry ? { onRetry } : {})}
        {...(extra ? { extra } : {})}
        {...(testId ? { testId } : {})}
      />
    );
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid={testId ?? "problem-alert"}
      data-code={error.code}
      title={masterErrorMessage(error, t)}
    />
  );
}
