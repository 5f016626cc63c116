import { Alert, Empty, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { HTMLAttributes } from "react";
import { Link } from "react-router";
import { formatDateTime, formatNumber } from "../../../shared/format";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useLocale, useT } from "../../../shared/i18n";
import { LOAD_COUNTS, type Load, type LoadCount, type LoadProblem } from "../../../shared/masterdata";
import { LoadStatusTag, reasonText } from "./masterParts";

/** Counts that call for a look when they are not zero. */
const WARN: readonly LoadCount[] = ["rowsRejected", "toReview", "invalidValues", "deleted"];

/** 导入报告: what a load read, linked and refused, and the problem rows by line. */
export function LoadReport({ load, testId = "master-report" }: { load: Load; testId?: string }) {
  const t = useT();
  const locale = useLocale();
  const mobile = useIsMobile();
  const n = (v: number) => formatNumber(v, locale);
  const problemKey = (p: LoadProblem, i: number) => `${p.line}-${p.column ?? ""}-${i}`;
  const columns: ColumnsType<LoadProblem & { key: string }> = [
    { title: t("master.report.line"), dataIndex: "line", width: 80, render: (v: number) => n(v) },
    { title: t("master.report.reason"), dataIndex: "reason", render: (v: string) => reasonText(v, t) },
    {
      title: t("master.report.column"),
      dataIndex: "column",
      width: 160,
      render: (v: string | undefined) => (v ? <span className="ff-mono">{v}</span> : "—"),
    },
  ];
  const count = (key: LoadCount) => {
    const value = load[key];
    const warn = WARN.includes(key) && value > 0;
    const text = (
      <span className={warn ? "ff-master-count ff-master-count-warn" : "ff-master-count"}>{n(value)}</span>
    );
    return key === "toReview" && value > 0 ? (
      <Link to="/datahub/master/reviews" data-testid={`${testId}-reviews-link`}>
        {text}
      </Link>
    ) : (
      text
    );
  };
  return (
    <div className="ff-master-report" data-testid={testId} data-status={load.status}>
      <div className="ff-master-report-head">
        <LoadStatusTag status={load.status} t={t} />
        <Tag>{t(`master.load.mode.${load.mode}`)}</Tag>
        {load.encoding && <Tag className="ff-mono">{load.encoding}</Tag>}
        <span className="ff-muted ff-small">
          {formatDateTime(load.startedAt)}
          {load.startedByName ? ` · ${load.startedByName}` : ""}
          {load.finishedAt &&
            ` · ${t("master.report.took", { seconds: n(Math.max(0, Math.round((Date.parse(load.finishedAt) - Date.parse(load.startedAt)) / 100) / 10)) })}`}
        </span>
      </div>
      {load.error && (
        <Alert
          type="error"
          showIcon
          className="ff-master-report-error"
          title={t("master.problem.loadRefusedBecause", { reason: reasonText(load.error, t) })}
          data-testid={`${testId}-error`}
        />
      )}
      <div className="ff-master-counts">
        {LOAD_COUNTS.map((key) => (
          <div
            key={key}
            className="ff-master-count-cell"
            data-testid={`${testId}-${key}`}
            data-value={load[key]}
          >
            <div className="ff-stat-label">{t(`master.report.${key}`)}</div>
            {count(key)}
          </div>
        ))}
      </div>
      {load.problems.length > 0 ? (
        <>
          <div className="ff-form-section">
            {t("master.report.problems", { shown: n(load.problems.length), total: n(load.rowsRejected) })}
          </div>
          {mobile ? (
            <ul className="ff-master-problem-list" data-testid={`${testId}-problems`}>
              {load.problems.map((p, i) => (
                <li key={problemKey(p, i)} data-testid={`${testId}-problem-${p.line}`}>
                  <strong>{t("master.report.lineNo", { line: p.line })}</strong>
                  {p.column && <span className="ff-mono ff-muted"> · {p.column}</span>}
                  <div>{reasonText(p.reason, t)}</div>
                </li>
              ))}
            </ul>
          ) : (
            <Table
              size="small"
              rowKey="key"
              columns={columns}
              dataSource={load.problems.map((p, i) => ({ ...p, key: problemKey(p, i) }))}
              pagination={load.problems.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
              onRow={(p) => ({ "data-testid": `${testId}-problem-${p.line}` }) as HTMLAttributes<HTMLElement>}
              data-testid={`${testId}-problems`}
            />
          )}
        </>
      ) : (
        load.status !== "running" && (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("master.report.noProblems")} />
        )
      )}
    </div>
  );
}
