import { ReloadOutlined } from "@ant-design/icons";
import { Button, Card, Col, Empty, Row, Select, Spin, Tabs, Tag, Tooltip } from "antd";
import type { EChartsOption } from "echarts";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { PageHeader } from "../../../shared/components/PageHeader";
import { BASES, type Base } from "../../../shared/datahub";
import { formatNumber } from "../../../shared/format";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { type Translate, useLocale, useT } from "../../../shared/i18n";
import {
  FIELD_RULES,
  type FieldRule,
  getQuality,
  QUALITY_RULES,
  type QualityBoard,
} from "../../../shared/masterdata";
import { useUpdateParams } from "../../../shared/params";
import { EChart } from "../EChart";
import { FailuresDrawer } from "./FailuresDrawer";
import {
  BASE_NAMES,
  fieldTitle,
  isBase,
  MasterProblem,
  percent,
  RULE_NAMES,
  scoreStatus,
  useMasterRoles,
} from "./masterParts";

type SourceScore = QualityBoard["sources"][number];

const pct = (score: number | null | undefined) =>
  score === null || score === undefined ? null : Math.round(score * 1000) / 10;

/** Overall score of each source, best at the top; a click picks the source for the field table. */
function sourcesOption(sources: SourceScore[], t: Translate, mobile: boolean): EChartsOption {
  const shown = [...sources].sort((a, b) => (a.scores.overall ?? 0) - (b.scores.overall ?? 0));
  return {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v) => `${v}%` },
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    xAxis: {
      type: "value",
      min: 0,
      max: 100,
      splitNumber: mobile ? 2 : 5,
      axisLabel: { formatter: "{value}%" },
    },
    yAxis: {
      type: "category",
      data: shown.map((s) => s.name),
      axisLabel: { width: 140, overflow: "truncate" },
    },
    series: [
      {
        name: t(RULE_NAMES.overall),
        type: "bar",
        barMaxWidth: 20,
        data: shown.map((s) => {
          const score = s.scores.overall ?? 0;
          const color = { good: "#52c41a", fair: "#faad14", poor: "#f5222d" }[scoreStatus(score)];
          return { value: pct(s.scores.overall) ?? 0, itemStyle: { color } };
        }),
        label: { show: true, position: "right", formatter: "{c}%" },
      },
    ],
  };
}

/**
 * The five rules of each department, one polygon per department. The scale starts a little below the
 * lowest score: scores cluster near 100 %, and from 0 every department would draw the same pentagon.
 */
function departmentsOption(board: QualityBoard, t: Translate, mobile: boolean): EChartsOption {
  const scores = board.departments.flatMap((d) =>
    QUALITY_RULES.map((r) => pct(d.scores[r])).filter((v): v is number => v !== null),
  );
  const min = Math.max(0, Math.floor((Math.min(100, ...scores) - 5) / 10) * 10);
  return {
    tooltip: { trigger: "item" },
    legend: { type: "scroll", bottom: 0 },
    radar: {
      indicator: QUALITY_RULES.map((r) => ({ name: t(RULE_NAMES[r]), max: 100, min })),
      radius: mobile ? "55%" : "62%",
      center: ["50%", "45%"],
    },
    series: [
      {
        type: "radar",
        data: board.departments.map((d) => ({
          name: d.departmentName,
          // "-": a rule that does not apply to the department's sources is left out.
          value: QUALITY_RULES.map((r) => pct(d.scores[r]) ?? "-"),
        })),
      },
    ],
  };
}

function heatClass(score: number | undefined): string {
  if (score === undefined) return "ff-master-heat-none";
  return `ff-master-heat-${scoreStatus(score)}`;
}

/** Field × rule of one source; a cell below 100 % lists the failing records. */
function HeatTable({
  source,
  onPick,
  mayList,
  t,
}: {
  source: SourceScore;
  onPick: (field: string, rule: FieldRule) => void;
  mayList: boolean;
  t: Translate;
}) {
  return (
    <div className="ff-master-heat-wrap">
      <table className="ff-master-heat" data-testid="master-quality-heat">
        <thead>
          <tr>
            <th scope="col">{t("master.review.field")}</th>
            {FIELD_RULES.map((r) => (
              <th key={r} scope="col">
                {t(RULE_NAMES[r])}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {source.fields.map((f) => (
            <tr key={f.field}>
              <th scope="row">{fieldTitle(source.base, f.field, t, f.title)}</th>
              {FIELD_RULES.map((r) => {
                const score = f.scores[r];
                const clickable = mayList && score !== undefined && score < 1;
                const id = `master-quality-cell-${f.field}-${r}`;
                return (
                  <td key={r} className={heatClass(score)} data-score={score ?? ""}>
                    {clickable ? (
                      <button
                        type="button"
                        className="ff-master-heat-cell"
                        onClick={() => onPick(f.field, r)}
                        data-testid={id}
                      >
                        {percent(score)}
                      </button>
                    ) : (
                      <span data-testid={id}>{percent(score)}</span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
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

/** 数据质量: how complete, valid, unique, consistent and timely each source's data is. */
export function QualityPage() {
  const t = useT();
  const locale = useLocale();
  const mobile = useIsMobile();
  const { officer } = useMasterRoles();
  const [params] = useSearchParams();
  const update = useUpdateParams();
  const baseParam = params.get("base");
  const base: Base = isBase(baseParam) ? baseParam : "population";
  const board = useRequest((signal) => getQuality(base, signal), [base]);
  const data = board.data;
  const sources = data?.sources ?? [];
  const picked = sources.find((s) => s.code === params.get("source")) ?? sources[0] ?? null;
  const failures =
    params.get("field") && params.get("rule") && picked
      ? { source: picked, field: params.get("field")!, rule: params.get("rule") as FieldRule }
      : null;

  const bySource = useMemo(() => (data ? sourcesOption(data.sources, t, mobile) : null), [data, t, mobile]);
  const byDepartment = useMemo(() => (data ? departmentsOption(data, t, mobile) : null), [data, t, mobile]);
  const pickSource = useCallback(
    ({ name }: { name: string }) => {
      const hit = data?.sources.find((s) => s.name === name);
      if (hit) update({ source: hit.code });
    },
    [data, update],
  );
  const records = sources.reduce((sum, s) => sum + s.records, 0);
  const scored = sources.filter((s) => s.scores.overall !== null);
  const average = scored.length
    ? scored.reduce((sum, s) => sum + (s.scores.overall ?? 0), 0) / scored.length
    : null;

  return (
    <div data-testid="datahub-master-quality">
      <PageHeader
        title={t("datahub.nav.masterQuality")}
        subtitle={t("master.quality.subtitle")}
        extra={
          <Button icon={<ReloadOutlined />} onClick={board.reload} aria-label={t("common.reload")}>
            {!mobile && t("common.reload")}
          </Button>
        }
      />
      <Tabs
        activeKey={base}
        onChange={(key) =>
          update({ base: key === "population" ? null : key, source: null, field: null, rule: null })
        }
        items={BASES.map((b) => ({
          key: b,
          label: <span data-testid={`master-quality-tab-${b}`}>{t(BASE_NAMES[b])}</span>,
        }))}
      />
      <MasterProblem error={board.error} onRetry={board.reload} />
      {board.loading && !data && <Spin className="ff-block-spin" />}
      {data && sources.length === 0 && <Empty description={t("master.quality.empty")} />}
      {data && sources.length > 0 && (
        <Row gutter={[16, 16]}>
          <Col xs={12} sm={8}>
            <Total
              label={t("master.quality.sources")}
              value={formatNumber(sources.length, locale)}
              testId="master-quality-total-sources"
            />
          </Col>
          <Col xs={12} sm={8}>
            <Total
              label={t("master.quality.records")}
              value={formatNumber(records, locale)}
              testId="master-quality-total-records"
            />
          </Col>
          <Col xs={24} sm={8}>
            <Total
              label={t("master.quality.average")}
              value={percent(average)}
              testId="master-quality-average"
            />
          </Col>
          <Col xs={24} xl={12}>
            <Card className="ff-card ff-card-fill" title={t("master.quality.bySource")}>
              {bySource && (
                <EChart
                  option={bySource}
                  height={Math.max(180, sources.length * 30 + 24)}
                  testId="master-quality-chart-source"
                  label={t("master.quality.bySource")}
                  onPick={pickSource}
                />
              )}
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card className="ff-card ff-card-fill" title={t("master.quality.byDepartment")}>
              {byDepartment && (
                <EChart
                  option={byDepartment}
                  height={mobile ? 320 : 380}
                  testId="master-quality-chart-department"
                  label={t("master.quality.byDepartment")}
                />
              )}
            </Card>
          </Col>
          <Col xs={24}>
            <Card
              className="ff-card"
              title={t("master.quality.byField")}
              extra={
                !mobile &&
                picked && (
                  <Tooltip title={t("master.quality.timelinessHint")}>
                    <Tag
                      color={picked.scores.timeliness === 1 ? "success" : "error"}
                      data-testid="master-quality-timeliness"
                    >
                      {t(RULE_NAMES.timeliness)} {percent(picked.scores.timeliness)}
                    </Tag>
                  </Tooltip>
                )
              }
            >
              <Select
                value={picked?.code}
                onChange={(code: string) => update({ source: code })}
                options={sources.map((s) => ({ value: s.code, label: `${s.name} · ${s.departmentName}` }))}
                showSearch={{ optionFilterProp: "label" }}
                className="ff-master-quality-source"
                data-testid="master-quality-source"
              />
              {picked && picked.fields.length === 0 && <Empty description={t("master.quality.noFields")} />}
              {picked && picked.fields.length > 0 && (
                <HeatTable
                  source={picked}
                  mayList={officer}
                  t={t}
                  onPick={(field, rule) => update({ source: picked.code, field, rule }, true)}
                />
              )}
              <p className="ff-muted ff-small ff-master-heat-hint">
                {officer ? t("master.quality.cellHint") : t("master.quality.rulesHint")}
              </p>
            </Card>
          </Col>
        </Row>
      )}
      <FailuresDrawer
        query={failures && { source: failures.source, field: failures.field, rule: failures.rule }}
        onClose={() => update({ field: null, rule: null })}
      />
    </div>
  );
}
