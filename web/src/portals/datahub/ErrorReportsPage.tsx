import { CheckSquareOutlined, ReloadOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Select, Spin, Table, Tabs, Tooltip } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { HTMLAttributes } from "react";
import { Link, useSearchParams } from "react-router";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import {
  ERROR_REPORT_BOXES,
  ERROR_REPORT_STATUSES,
  type ErrorReportBox,
  type ErrorReportStatus,
  type ErrorReportView,
  listErrorReports,
} from "../../shared/datahub";
import { formatDateTime } from "../../shared/format";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { type Translate, useT } from "../../shared/i18n";
import { useUpdateParams } from "../../shared/params";
import { DueTag } from "../office/workflowParts";
import { ErrorReportStatusTag } from "./datahubParts";

const PAGE_SIZE = 20;

const isPast = (at: string | null) => at !== null && Date.parse(at) < Date.now();

/** The report's step in the office inbox, while it is open and the caller's department holds it. */
function TaskLink({ report, box, t }: { report: ErrorReportView; box: ErrorReportBox; t: Translate }) {
  if (box !== "assigned" || report.status !== "open" || !report.taskId) return null;
  return (
    <Link
      to={`/office/tasks?task=${encodeURIComponent(report.taskId)}`}
      onClick={(e) => e.stopPropagation()}
      data-testid={`error-report-task-${report.id}`}
    >
      <CheckSquareOutlined /> {t("datahub.request.goToTask")}
    </Link>
  );
}

function Outcome({ report }: { report: ErrorReportView }) {
  if (!report.reply) return <span className="ff-muted">—</span>;
  return <span className="ff-request-comment">{report.reply}</span>;
}

function ReportCard({ report, box, t }: { report: ErrorReportView; box: ErrorReportBox; t: Translate }) {
  return (
    <div className="ff-staff-card" data-testid={`error-report-row-${report.id}`}>
      <span className="ff-resource-card-head">
        <strong>
          {report.resourceName} · {report.itemTitle}
        </strong>
        <ErrorReportStatusTag status={report.status} t={t} />
      </span>
      <span className="ff-small">
        <span className="ff-mono">{report.recordKeyMasked}</span> → <strong>{report.correctValue}</strong>
      </span>
      <span className="ff-muted ff-small">{report.reason}</span>
      {report.reply && (
        <span className="ff-small">
          {t("datahub.labelled", { label: t("datahub.errors.reply") })}
          <Outcome report={report} />
        </span>
      )}
      <span className="ff-resource-card-meta ff-small">
        <span className="ff-muted">
          {box === "mine" ? report.departmentName : report.reporterName} ·{" "}
          {formatDateTime(report.createdAt).slice(0, 16)}
        </span>
        {report.status === "open" && <DueTag dueAt={report.dueAt} overdue={isPast(report.dueAt)} />}
      </span>
      <TaskLink report={report} box={box} t={t} />
    </div>
  );
}

/** 数据纠错: errors my department reported, and those it must check as the authoritative source. */
export function ErrorReportsPage() {
  const t = useT();
  const mobile = useIsMobile();
  const [params] = useSearchParams();
  const update = useUpdateParams();
  const boxParam = params.get("box") ?? "";
  const box: ErrorReportBox = (ERROR_REPORT_BOXES as readonly string[]).includes(boxParam)
    ? (boxParam as ErrorReportBox)
    : "mine";
  const statusParam = params.get("status") ?? "";
  const status = (ERROR_REPORT_STATUSES as readonly string[]).includes(statusParam)
    ? (statusParam as ErrorReportStatus)
    : "";

  const list = useRequest((signal) => listErrorReports({ box, status }, signal), [box, status]);
  const items = list.data ?? [];

  const columns: ColumnsType<ErrorReportView> = [
    {
      title: t("datahub.request.resource"),
      key: "resource",
      render: (_, r) => (
        <span>
          <Link to={`/datahub/catalog/${encodeURIComponent(r.resourceId)}`}>{r.resourceName}</Link>
          <div className="ff-muted ff-small">{r.itemTitle}</div>
        </span>
      ),
    },
    {
      title: t("datahub.errors.recordKey"),
      dataIndex: "recordKeyMasked",
      width: 170,
      render: (v: string) => <span className="ff-mono">{v}</span>,
    },
    { title: t("datahub.errors.correctValue"), dataIndex: "correctValue", width: 150, ellipsis: true },
    {
      title: t("datahub.errors.reason"),
      dataIndex: "reason",
      ellipsis: true,
      render: (v: string) => (
        <Tooltip title={v}>
          <span>{v}</span>
        </Tooltip>
      ),
    },
    box === "mine"
      ? { title: t("datahub.errors.department"), dataIndex: "departmentName", width: 150, ellipsis: true }
      : { title: t("datahub.errors.reporter"), dataIndex: "reporterName", width: 110 },
    {
      title: t("datahub.request.statusLabel"),
      key: "status",
      width: 190,
      render: (_, r) => (
        <span className="ff-due">
          <ErrorReportStatusTag status={r.status} t={t} />
          {r.status === "open" ? (
            <DueTag dueAt={r.dueAt} overdue={isPast(r.dueAt)} />
          ) : (
            <span className="ff-muted ff-small ff-nowrap">{formatDateTime(r.resolvedAt).slice(0, 16)}</span>
          )}
        </span>
      ),
    },
    {
      title: t("datahub.errors.reply"),
      key: "reply",
      width: 180,
      ellipsis: true,
      render: (_, r) => <Outcome report={r} />,
    },
    ...(box === "assigned"
      ? [
          {
            title: t("common.actions"),
            key: "task",
            width: 100,
            render: (_: unknown, r: ErrorReportView) => <TaskLink report={r} box={box} t={t} />,
          },
        ]
      : []),
  ];
  const empty = <Empty description={t(`datahub.errors.empty.${box}`)} />;

  return (
    <div data-testid="datahub-error-reports">
      <PageHeader
        title={t("datahub.nav.errors")}
        subtitle={t("datahub.errors.subtitle")}
        extra={
          <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t("common.reload")}>
            {!mobile && t("common.reload")}
          </Button>
        }
      />
      <Tabs
        activeKey={box}
        onChange={(key) => update({ box: key === "mine" ? null : key })}
        items={ERROR_REPORT_BOXES.map((b) => ({
          key: b,
          label: <span data-testid={`error-reports-tab-${b}`}>{t(`datahub.errors.tab.${b}`)}</span>,
        }))}
        className="ff-inbox-tabs"
      />
      <Card className="ff-card ff-filter-card ff-inbox-filters">
        <div className="ff-filters">
          <Select
            allowClear
            value={status || undefined}
            onChange={(v: string | undefined) => update({ status: v ?? null })}
            placeholder={t("datahub.request.filterStatus")}
            options={ERROR_REPORT_STATUSES.map((s) => ({ value: s, label: t(`datahub.errors.status.${s}`) }))}
            className="ff-filter-process"
            data-testid="error-reports-filter-status"
          />
        </div>
      </Card>
      <ProblemAlert error={list.error} onRetry={list.reload} style={{ marginBottom: 16 }} />
      <Card className="ff-card" styles={{ body: mobile ? { padding: 8 } : undefined }}>
        {mobile ? (
          <Spin spinning={list.loading}>
            <div className="ff-card-list" data-testid="error-reports-list">
              {items.length === 0 && !list.loading && empty}
              {items.map((r) => (
                <ReportCard key={r.id} report={r} box={box} t={t} />
              ))}
            </div>
          </Spin>
        ) : (
          <Table<ErrorReportView>
            rowKey="id"
            size="middle"
            loading={list.loading}
            columns={columns}
            dataSource={items}
            scroll={{ x: 1200 }}
            onRow={(r) => ({ "data-testid": `error-report-row-${r.id}` }) as HTMLAttributes<HTMLElement>}
            pagination={items.length > PAGE_SIZE ? { pageSize: PAGE_SIZE, showSizeChanger: false } : false}
            locale={{ emptyText: empty }}
            data-testid="error-reports-table"
          />
        )}
      </Card>
    </div>
  );
}
