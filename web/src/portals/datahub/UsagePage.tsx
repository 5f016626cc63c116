import { ReloadOutlined } from "@ant-design/icons";
import { Button, Card, Col, DatePicker, Empty, Row, Space, Spin, Tag } from "antd";
import dayjs from "dayjs";
import type { EChartsOption } from "echarts";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { getUsageStats, type UsageStats } from "../../shared/datahub";
import { formatNumber, shanghaiToday } from "../../shared/format";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { type Translate, useLocale, useT } from "../../shared/i18n";
import { useUpdateParams } from "../../shared/params";
import { EChart } from "./EChart";
import "./datahub.css";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The default range: the last 30 days, today included. */
const DEFAULT_DAYS = 30;
/** Bars shown for resources and consumers: the busiest ones. */
const TOP = 10;

function dayParam(value: string | null, fallback: string): string {
  return value && DAY.test(value) ? value : fallback;
}

/** Every day from `from` to `to`, so days without calls show as zero rather than being skipped. */
function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = dayjs(from); !d.isAfter(dayjs(to), "day") && days.length < 1000; d = d.add(1, "day")) {
    days.push(d.format("YYYY-MM-DD"));
  }
  return days;
}

function lineOption(stats: UsageStats, from: string, to: string, t: Translate): EChartsOption {
  const byDay = new Map(stats.byDay.map((d) => [d.day, d]));
  const days = daysBetween(from, to);
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 28 },
    xAxis: { type: "category", data: days.map((d) => d.slice(5)) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      {
        name: t("datahub.usage.calls"),
        type: "line",
        data: days.map((d) => byDay.get(d)?.calls ?? 0),
      },
      {
        name: t("datahub.usage.refused"),
        type: "line",
        data: days.map((d) => byDay.get(d)?.refused ?? 0),
      },
    ],
  };
}

function barOption(rows: { name: string; calls: number }[], t: Translate): EChartsOption {
  const shown = [...rows]
    .sort((a, b) => b.calls - a.calls)
    .slice(0, TOP)
    .reverse();
  return {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: {
      type: "category",
      data: shown.map((r) => r.name),
      axisLabel: { width: 140, overflow: "truncate" },
    },
    series: [
      { name: t("datahub.usage.calls"), type: "bar", data: shown.map((r) => r.calls), barMaxWidth: 22 },
    ],
  };
}

function Total({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Card className="ff-card ff-card-fill" size="small">
      <div className="ff-stat-label">{label}</div>
      <div className="ff-usage-total" data-testid={testId}>
        {value}
      </div>
    </Card>
  );
}

/** 共享统计: gateway calls over a date range, by day, by resource and by consumer department. */
export function UsagePage() {
  const t = useT();
  const locale = useLocale();
  const mobile = useIsMobile();
  const [params] = useSearchParams();
  const update = useUpdateParams();
  const today = shanghaiToday();
  const to = dayParam(params.get("to"), today);
  const from = dayParam(
    params.get("from"),
    dayjs(to)
      .subtract(DEFAULT_DAYS - 1, "day")
      .format("YYYY-MM-DD"),
  );
  const resourceId = params.get("resourceId") ?? "";

  const stats = useRequest(
    (signal) => getUsageStats({ from, to, ...(resourceId ? { resourceId } : {}) }, signal),
    [from, to, resourceId],
  );
  const data = stats.data;
  const line = useMemo(() => (data ? lineOption(data, from, to, t) : null), [data, from, to, t]);
  const byResource = useMemo(
    () =>
      data
        ? barOption(
            data.byResource.map((r) => ({ name: r.resourceName, calls: r.calls })),
            t,
          )
        : null,
    [data, t],
  );
  const byConsumer = useMemo(
    () =>
      data
        ? barOption(
            data.byConsumer.map((c) => ({ name: c.departmentName, calls: c.calls })),
            t,
          )
        : null,
    [data, t],
  );
  // Bars are drawn busiest first from the top; a click filters the page to that resource.
  const pickResource = useCallback(
    ({ name }: { name: string }) => {
      const hit = data?.byResource.find((r) => r.resourceName === name);
      if (hit) update({ resourceId: hit.resourceId });
    },
    [data, update],
  );
  const filteredName = resourceId
    ? data?.byResource.find((r) => r.resourceId === resourceId)?.resourceName
    : null;
  const n = (v: number) => formatNumber(v, locale);

  return (
    <div data-testid="datahub-usage">
      <PageHeader
        title={t("datahub.nav.usage")}
        subtitle={t("datahub.usage.subtitle")}
        extra={
          <Space wrap>
            <span data-testid="usage-range">
              <DatePicker.RangePicker
                allowClear={false}
                inputReadOnly
                value={[dayjs(from), dayjs(to)]}
                disabledDate={(d) => d.isAfter(dayjs(today), "day")}
                onChange={(range) => {
                  const [start, end] = range ?? [];
                  if (start && end)
                    update({ from: start.format("YYYY-MM-DD"), to: end.format("YYYY-MM-DD") });
                }}
              />
            </span>
            <Button icon={<ReloadOutlined />} onClick={stats.reload} aria-label={t("common.reload")}>
              {!mobile && t("common.reload")}
            </Button>
          </Space>
        }
      />
      {resourceId && (
        <div className="ff-usage-filter">
          <Tag
            closable
            onClose={() => update({ resourceId: null })}
            color="blue"
            data-testid="usage-resource-filter"
          >
            {t("datahub.usage.onlyResource", { name: filteredName ?? resourceId })}
          </Tag>
        </div>
      )}
      <ProblemAlert error={stats.error} onRetry={stats.reload} style={{ marginBottom: 16 }} />
      {stats.loading && !data && <Spin className="ff-block-spin" />}
      {data && (
        <Row gutter={[16, 16]}>
          <Col xs={24} sm={8}>
            <Total
              label={t("datahub.usage.totalCalls")}
              value={t("datahub.usage.sharedTimes", { count: n(data.total.calls) })}
              testId="usage-total"
            />
          </Col>
          <Col xs={12} sm={8}>
            <Total
              label={t("datahub.usage.records")}
              value={n(data.total.records)}
              testId="usage-total-records"
            />
          </Col>
          <Col xs={12} sm={8}>
            <Total
              label={t("datahub.usage.refused")}
              value={n(data.total.refused)}
              testId="usage-total-refused"
            />
          </Col>
          <Col xs={24}>
            <Card className="ff-card" title={t("datahub.usage.byDay")}>
              {line && (
                <EChart
                  option={line}
                  height={mobile ? 240 : 320}
                  testId="usage-chart-day"
                  label={t("datahub.usage.byDay")}
                />
              )}
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card className="ff-card ff-card-fill" title={t("datahub.usage.byResource")}>
              {data.byResource.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("datahub.usage.empty")} />
              ) : (
                byResource && (
                  <EChart
                    option={byResource}
                    height={Math.max(160, Math.min(TOP, data.byResource.length) * 32 + 24)}
                    testId="usage-chart-resource"
                    label={t("datahub.usage.byResource")}
                    onPick={pickResource}
                  />
                )
              )}
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card className="ff-card ff-card-fill" title={t("datahub.usage.byConsumer")}>
              {data.byConsumer.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("datahub.usage.empty")} />
              ) : (
                byConsumer && (
                  <EChart
                    option={byConsumer}
                    height={Math.max(160, Math.min(TOP, data.byConsumer.length) * 32 + 24)}
                    testId="usage-chart-consumer"
                    label={t("datahub.usage.byConsumer")}
                  />
                )
              )}
            </Card>
          </Col>
        </Row>
      )}
    </div>
  );
}
