import { ReloadOutlined } from "@ant-design/icons";
import { Button, Card, Col, Empty, Row, Statistic, Table, Tabs } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { EChartsOption } from "echarts";
import { useMemo } from "react";
import { useNavigate } from "react-router";
import { PageHeader } from "../../../shared/components/PageHeader";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { type Translate, useT } from "../../../shared/i18n";
import {
  type ApplicationSummary,
  type EvaluationRow,
  getEvaluationStats,
  getServiceMetrics,
  getSupervisionBoard,
  type MetricsRow,
  type SupervisionRow,
} from "../../../shared/services";
import { DeadlineTag, ServiceProblem, StatusTag } from "../../citizen/services/serviceParts";
import { EChart } from "../../datahub/EChart";

const percent = (value: number | null | undefined) =>
  value === null || value === undefined ? "—" : `${Math.round(value * 10) / 10}%`;
const share = (part: number, whole: number) => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : null);

/** 四少一快 as shares: 少填 (fields pre-filled), 少材料 (materials reused), 少跑 (no visit), 快办 (time saved). */
function metricShares(r: MetricsRow) {
  return {
    prefilled: share(r.fieldsPrefilled, r.fieldsPrefilled + r.fieldsTyped),
    reused: share(r.materialsReused, r.materialsReused + r.materialsUploaded),
    zeroVisit: share(r.zeroVisit, r.applications),
    faster:
      r.elapsedDays !== null && r.promisedDays !== null && r.promisedDays > 0
        ? Math.round(1000 * (1 - r.elapsedDays / r.promisedDays)) / 10
        : null,
  };
}

const SHARE_KEYS = ["prefilled", "reused", "zeroVisit", "faster"] as const;

function metricsOption(rows: MetricsRow[], t: Translate): EChartsOption {
  const shown = rows.slice(0, 12);
  return {
    // A board read at a glance (and screenshotted in the browser tests): no growing bars.
    animation: false,
    tooltip: { trigger: "axis", valueFormatter: (v) => (v === null || v === undefined ? "—" : `${v}%`) },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 90 },
    xAxis: {
      type: "category",
      data: shown.map((r) => r.name),
      axisLabel: { rotate: 30, interval: 0, width: 100, overflow: "truncate" },
    },
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    series: SHARE_KEYS.map((k) => ({
      name: t(`services.metric.${k}`),
      type: "bar",
      data: shown.map((r) => metricShares(r)[k]),
    })),
  };
}

const LEVEL_COLORS = {
  "5": "#389e0d",
  "4": "#73d13d",
  "3": "#fadb14",
  "2": "#fa8c16",
  "1": "#cf1322",
} as const;

function evaluationOption(rows: EvaluationRow[], t: Translate): EChartsOption {
  const shown = rows.slice(0, 12);
  return {
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 40, bottom: 90 },
    xAxis: {
      type: "category",
      data: shown.map((r) => r.name),
      axisLabel: { rotate: 30, interval: 0, width: 100, overflow: "truncate" },
    },
    yAxis: { type: "value", minInterval: 1 },
    series: (["5", "4", "3", "2", "1"] as const).map((level) => ({
      name: t(`services.rating.${level}`),
      type: "bar",
      stack: "levels",
      itemStyle: { color: LEVEL_COLORS[level] },
      data: shown.map((r) => r.levels?.[level] ?? 0),
    })),
  };
}

function BoardTable({ rows, testId }: { rows: SupervisionRow[]; testId: string }) {
  const t = useT();
  const num = (key: keyof SupervisionRow, title: string) => ({
    title,
    dataIndex: key,
    width: 90,
    align: "right" as const,
    sorter: (a: SupervisionRow, b: SupervisionRow) => Number(a[key] ?? 0) - Number(b[key] ?? 0),
  });
  const columns: ColumnsType<SupervisionRow> = [
    { title: t("services.sup.name"), dataIndex: "name", fixed: "left", width: 220, ellipsis: true },
    num("open", t("services.sup.open")),
    {
      ...num("yellow", t("services.sup.yellow")),
      render: (v: number) => (v ? <span className="ff-svc-yellow">{v}</span> : v),
    },
    {
      ...num("red", t("services.sup.red")),
      render: (v: number) => (v ? <span className="ff-svc-red">{v}</span> : v),
    },
    num("paused", t("services.deadline.paused")),
    num("done", t("services.sup.finished")),
    num("onTime", t("services.sup.onTime")),
    {
      ...num("onTimeRate", t("services.sup.onTimeRate")),
      width: 110,
      render: (v: number | null) => percent(v),
    },
  ];
  return (
    <Table<SupervisionRow>
      rowKey="key"
      size="small"
      columns={columns}
      dataSource={rows}
      pagination={rows.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
      scroll={{ x: 860 }}
      data-testid={testId}
    />
  );
}

function MetricsTable({ rows, testId }: { rows: MetricsRow[]; testId: string }) {
  const t = useT();
  const columns: ColumnsType<MetricsRow> = [
    { title: t("services.sup.name"), dataIndex: "name", fixed: "left", width: 200, ellipsis: true },
    { title: t("services.sup.applications"), dataIndex: "applications", width: 80, align: "right" },
    ...SHARE_KEYS.map((k) => ({
      title: t(`services.metric.${k}`),
      key: k,
      width: 100,
      align: "right" as const,
      render: (_: unknown, r: MetricsRow) => percent(metricShares(r)[k]),
    })),
    {
      title: t("services.metric.averageDays"),
      key: "days",
      width: 120,
      align: "right",
      render: (_, r) => (r.elapsedDays === null ? "—" : `${r.elapsedDays} / ${r.promisedDays ?? "—"}`),
    },
  ];
  return (
    <Table<MetricsRow>
      rowKey="key"
      size="small"
      columns={columns}
      dataSource={rows}
      pagination={rows.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
      scroll={{ x: 820 }}
      data-testid={testId}
    />
  );
}

function EvaluationTable({ rows, testId }: { rows: EvaluationRow[]; testId: string }) {
  const t = useT();
  const columns: ColumnsType<EvaluationRow> = [
    { title: t("services.sup.name"), dataIndex: "name", fixed: "left", width: 200, ellipsis: true },
    { title: t("services.eval.count"), dataIndex: "count", width: 80, align: "right" },
    { title: t("services.eval.average"), dataIndex: "average", width: 80, align: "right" },
    {
      title: t("services.eval.satisfaction"),
      key: "satisfaction",
      width: 90,
      align: "right",
      render: (_, r) =>
        percent(share((r.levels?.["5"] ?? 0) + (r.levels?.["4"] ?? 0) + (r.levels?.["3"] ?? 0), r.count)),
    },
    { title: t("services.eval.bad"), dataIndex: "bad", width: 70, align: "right" },
    { title: t("services.eval.defaults"), dataIndex: "defaults", width: 90, align: "right" },
  ];
  return (
    <Table<EvaluationRow>
      rowKey="key"
      size="small"
      columns={columns}
      dataSource={rows}
      pagination={rows.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
      scroll={{ x: 620 }}
      data-testid={testId}
    />
  );
}

function ApplicationsTable({ apps, testId }: { apps: ApplicationSummary[]; testId: string }) {
  const t = useT();
  const navigate = useNavigate();
  const columns: ColumnsType<ApplicationSummary> = [
    {
      title: t("services.receipt.receiptNo"),
      dataIndex: "receiptNo",
      width: 190,
      render: (v: string) => <span className="ff-mono">{v}</span>,
    },
    { title: t("services.my.item"), dataIndex: "serviceName", ellipsis: true },
    {
      title: t("services.receipt.department"),
      key: "dept",
      width: 150,
      ellipsis: true,
      render: (_, a) => a.department.name,
    },
    {
      title: t("services.my.status"),
      key: "status",
      width: 100,
      render: (_, a) => <StatusTag status={a.status} t={t} />,
    },
    {
      title: t("services.my.deadline"),
      key: "deadline",
      width: 150,
      render: (_, a) => <DeadlineTag deadline={a.deadline} status={a.status} t={t} />,
    },
  ];
  return (
    <Table<ApplicationSummary>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={apps}
      pagination={apps.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
      scroll={{ x: 760 }}
      rowClassName="ff-clickable-row"
      onRow={(a) => ({ onClick: () => navigate(`/office/services/applications/${a.id}`) })}
      data-testid={testId}
      locale={{
        emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("services.sup.none")} />,
      }}
    />
  );
}

/** 电子监察: open applications by deadline light, on-time rates, 四少一快 and 好差评. */
export function ServiceSupervisionPage() {
  const t = useT();
  const mobile = useIsMobile();
  const board = useRequest((signal) => getSupervisionBoard(signal), []);
  const metrics = useRequest((signal) => getServiceMetrics(signal), []);
  const evaluations = useRequest((signal) => getEvaluationStats(signal), []);
  const totals = board.data?.totals;
  const metricsChart = useMemo(() => metricsOption(metrics.data?.departments ?? [], t), [metrics.data, t]);
  const evaluationChart = useMemo(
    () => evaluationOption(evaluations.data?.departments ?? [], t),
    [evaluations.data, t],
  );
  const reload = () => {
    board.reload();
    metrics.reload();
    evaluations.reload();
  };
  const loading = board.loading && !board.data;
  const cards = [
    { key: "open", value: totals?.open, color: undefined },
    { key: "yellow", value: totals?.yellow, color: "#d48806" },
    { key: "red", value: totals?.red, color: "#cf1322" },
    {
      key: "onTimeRate",
      value: totals ? percent(share(totals.onTime, totals.done)) : undefined,
      color: "#389e0d",
    },
  ] as const;
  return (
    <div data-testid="services-supervision">
      <PageHeader
        title={t("services.sup.title")}
        subtitle={t("services.sup.subtitle")}
        extra={
          <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t("common.reload")}>
            {!mobile && t("common.reload")}
          </Button>
        }
      />
      <ServiceProblem error={board.error} onRetry={board.reload} />
      <Row gutter={[16, 16]} className="ff-svc-section">
        {cards.map((c) => (
          <Col key={c.key} xs={12} md={6}>
            <Card className="ff-card" data-testid={`services-sup-${c.key}`}>
              <Statistic
                title={t(`services.sup.${c.key}`)}
                value={c.value ?? "—"}
                loading={loading}
                {...(c.color ? { styles: { content: { color: c.color } } } : {})}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 0]}>
        <Col xs={24} xl={12}>
          <Card title={t("services.sup.overdueList")} className="ff-card ff-svc-section">
            <ApplicationsTable apps={board.data?.overdue ?? []} testId="services-sup-overdue" />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t("services.sup.dueSoonList")} className="ff-card ff-svc-section">
            <ApplicationsTable apps={board.data?.dueSoon ?? []} testId="services-sup-due-soon" />
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={t("services.sup.boardTitle")} className="ff-card ff-svc-section">
            <Tabs
              items={[
                {
                  key: "departments",
                  label: t("services.sup.by.departments"),
                  children: (
                    <BoardTable rows={board.data?.departments ?? []} testId="services-sup-departments" />
                  ),
                },
                {
                  key: "items",
                  label: t("services.sup.by.items"),
                  children: <BoardTable rows={board.data?.items ?? []} testId="services-sup-items" />,
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t("services.sup.metricsTitle")} className="ff-card ff-svc-section">
            <ServiceProblem error={metrics.error} onRetry={metrics.reload} />
            <p className="ff-muted ff-small">{t("services.sup.metricsHint")}</p>
            <EChart
              option={metricsChart}
              height={320}
              testId="services-sup-metrics-chart"
              label={t("services.sup.metricsTitle")}
            />
            <Tabs
              items={[
                {
                  key: "departments",
                  label: t("services.sup.by.departments"),
                  children: (
                    <MetricsTable rows={metrics.data?.departments ?? []} testId="services-sup-metrics" />
                  ),
                },
                {
                  key: "items",
                  label: t("services.sup.by.items"),
                  children: (
                    <MetricsTable rows={metrics.data?.items ?? []} testId="services-sup-metrics-items" />
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t("services.sup.evaluationsTitle")} className="ff-card ff-svc-section">
            <ServiceProblem error={evaluations.error} onRetry={evaluations.reload} />
            <EChart
              option={evaluationChart}
              height={320}
              testId="services-sup-evaluations-chart"
              label={t("services.sup.evaluationsTitle")}
            />
            <Tabs
              items={(["departments", "items", "windows"] as const).map((g) => ({
                key: g,
                label: t(`services.sup.by.${g}`),
                children: (
                  <EvaluationTable
                    rows={evaluations.data?.[g] ?? []}
                    testId={`services-sup-evaluations-${g}`}
                  />
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
