import { PlusOutlined, ReloadOutlined, SearchOutlined, UploadOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Input, Space, Spin, Table, Tooltip } from "antd";
import type { ColumnsType } from "antd/es/table";
import { type HTMLAttributes, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { PageHeader } from "../../../shared/components/PageHeader";
import { formatDateTime, formatNumber } from "../../../shared/format";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { type Locale, type Translate, useLocale, useT } from "../../../shared/i18n";
import { getQuality, listSources, QUALITY_RULES, type Scores, type Source } from "../../../shared/masterdata";
import { useUpdateParams } from "../../../shared/params";
import { relativeTime } from "../datahubParts";
import {
  BaseFilter,
  BaseTag,
  isBase,
  MasterProblem,
  percent,
  RULE_NAMES,
  ScoreProgress,
  useMasterRoles,
} from "./masterParts";
import { SourceDrawer } from "./SourceDrawer";
import { SourceFormDrawer } from "./SourceFormDrawer";

type Row = Source & { scores: Scores | null };

/** The rules behind an overall score, in a tooltip. */
function ScoreDetail({ scores, t }: { scores: Scores | null; t: Translate }) {
  if (!scores) return <span className="ff-muted">—</span>;
  return (
    <Tooltip
      title={QUALITY_RULES.filter((r) => scores[r] !== undefined).map((r) => (
        <div key={r}>
          {t(RULE_NAMES[r])}: {percent(scores[r])}
        </div>
      ))}
    >
      <span>
        <ScoreProgress score={scores.overall} />
      </span>
    </Tooltip>
  );
}

function LastLoad({ at, locale }: { at: string | null; locale: Locale }) {
  const t = useT();
  if (!at) return <span className="ff-muted">{t("master.source.never")}</span>;
  return (
    <Tooltip title={formatDateTime(at)}>
      <span className="ff-nowrap">{relativeTime(at, locale)}</span>
    </Tooltip>
  );
}

function SourceCard({
  row,
  mayLoad,
  onOpen,
  onImport,
  t,
  locale,
}: {
  row: Row;
  mayLoad: boolean;
  onOpen: () => void;
  onImport: () => void;
  t: Translate;
  locale: Locale;
}) {
  return (
    <div className="ff-staff-card ff-master-source-card" data-testid={`master-source-row-${row.code}`}>
      <button type="button" className="ff-master-card-open" onClick={onOpen}>
        <span className="ff-resource-card-head">
          <strong className="ff-resource-card-name">{row.name}</strong>
          <BaseTag base={row.base} t={t} />
        </span>
        <span className="ff-muted ff-small">
          <span className="ff-mono">{row.code}</span> · {row.departmentName}
        </span>
        <span className="ff-resource-card-meta ff-small">
          <span>{t("master.source.recordsCount", { count: formatNumber(row.records, locale) })}</span>
          <span className="ff-muted">
            {t("master.source.lastLoad")}: <LastLoad at={row.lastLoadAt} locale={locale} />
          </span>
        </span>
        <ScoreProgress score={row.scores?.overall} />
      </button>
      {mayLoad && (
        <span>
          <Button
            size="small"
            icon={<UploadOutlined />}
            onClick={onImport}
            data-testid={`master-source-import-${row.code}`}
          >
            {t("master.import.title")}
          </Button>
        </span>
      )}
    </div>
  );
}

/** 主数据源: the departments' datasets feeding the population and legal-person bases. */
export function SourcesPage() {
  const t = useT();
  const locale = useLocale();
  const mobile = useIsMobile();
  const { officer } = useMasterRoles();
  const [params] = useSearchParams();
  const update = useUpdateParams();
  const baseParam = params.get("base");
  const base = isBase(baseParam) ? baseParam : null;
  const open = params.get("source");
  const [filter, setFilter] = useState("");
  const [form, setForm] = useState<{ source: Source | null } | null>(null);
  const [generation, setGeneration] = useState(0);

  const sources = useRequest((signal) => listSources(base ?? undefined, signal), [base, generation]);
  // The overall quality of each source comes from the scorecard.
  const quality = useRequest((signal) => getQuality(base ?? undefined, signal), [base, generation]);
  const reload = () => setGeneration((g) => g + 1);

  const rows: Row[] = useMemo(() => {
    const scores = new Map((quality.data?.sources ?? []).map((s) => [s.code, s.scores]));
    const needle = filter.trim().toLowerCase();
    return (sources.data ?? [])
      .filter(
        (s) =>
          !needle ||
          s.name.toLowerCase().includes(needle) ||
          s.code.includes(needle) ||
          s.departmentName.toLowerCase().includes(needle),
      )
      .map((s) => ({ ...s, scores: scores.get(s.code) ?? null }));
  }, [sources.data, quality.data, filter]);

  const openSource = (code: string) => update({ source: code }, true);
  const columns: ColumnsType<Row> = [
    {
      title: t("master.source.name"),
      key: "name",
      render: (_, s) => (
        <span>
          <strong>{s.name}</strong>
          <div className="ff-mono ff-muted ff-small">{s.code}</div>
        </span>
      ),
    },
    { title: t("master.source.department"), dataIndex: "departmentName", width: 180, ellipsis: true },
    {
      title: t("master.source.base"),
      dataIndex: "base",
      width: 100,
      render: (_, s) => <BaseTag base={s.base} t={t} />,
    },
    {
      title: t("master.source.records"),
      dataIndex: "records",
      width: 100,
      align: "right",
      render: (v: number) => formatNumber(v, locale),
    },
    {
      title: t("master.source.lastLoad"),
      dataIndex: "lastLoadAt",
      width: 120,
      render: (v: string | null) => <LastLoad at={v} locale={locale} />,
    },
    {
      title: t("master.source.quality"),
      key: "quality",
      width: 180,
      render: (_, s) => <ScoreDetail scores={s.scores} t={t} />,
    },
    ...(officer
      ? [
          {
            title: t("common.actions"),
            key: "actions",
            width: 120,
            render: (_: unknown, s: Row) => (
              <Button
                size="small"
                icon={<UploadOutlined />}
                onClick={(e) => {
                  e.stopPropagation();
                  openSource(s.code);
                }}
                data-testid={`master-source-import-${s.code}`}
              >
                {t("master.import.title")}
              </Button>
            ),
          },
        ]
      : []),
  ];
  const empty = (
    <Empty description={filter.trim() ? t("datahub.catalog.noMatch") : t("master.sources.empty")} />
  );

  return (
    <div data-testid="datahub-master-sources">
      <PageHeader
        title={t("datahub.nav.master")}
        subtitle={t("master.sources.subtitle")}
        extra={
          <Space>
            {officer && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setForm({ source: null })}
                data-testid="master-source-register"
              >
                {t("master.sources.register")}
              </Button>
            )}
            <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t("common.reload")}>
              {!mobile && t("common.reload")}
            </Button>
          </Space>
        }
      />
      <Card className="ff-card ff-filter-card">
        <div className="ff-filters">
          <BaseFilter value={base} onChange={(b) => update({ base: b })} testId="master-sources-base" />
          <Input
            allowClear
            prefix={<SearchOutlined />}
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder={t("master.sources.filter")}
            className="ff-filter-search"
            data-testid="master-sources-filter"
          />
        </div>
      </Card>
      <MasterProblem error={sources.error} onRetry={reload} />
      <Card className="ff-card" styles={{ body: mobile ? { padding: 8 } : undefined }}>
        {mobile ? (
          <Spin spinning={sources.loading}>
            <div className="ff-card-list" data-testid="master-sources-list">
              {rows.length === 0 && !sources.loading && empty}
              {rows.map((s) => (
                <SourceCard
                  key={s.code}
                  row={s}
                  mayLoad={officer && s.mayLoad !== false}
                  onOpen={() => openSource(s.code)}
                  onImport={() => openSource(s.code)}
                  t={t}
                  locale={locale}
                />
              ))}
            </div>
          </Spin>
        ) : (
          <Table<Row>
            rowKey="code"
            size="middle"
            loading={sources.loading}
            columns={columns}
            dataSource={rows}
            scroll={{ x: 1000 }}
            rowClassName="ff-clickable-row"
            onRow={(s) =>
              ({
                onClick: () => openSource(s.code),
                "data-testid": `master-source-row-${s.code}`,
              }) as HTMLAttributes<HTMLElement>
            }
            pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            locale={{ emptyText: empty }}
            data-testid="master-sources-table"
          />
        )}
      </Card>
      <SourceDrawer
        code={open}
        generation={generation}
        mayLoad={officer && (sources.data ?? []).find((s) => s.code === open)?.mayLoad !== false}
        onClose={() => update({ source: null })}
        onEdit={(source) => setForm({ source })}
        onLoaded={reload}
      />
      <SourceFormDrawer
        open={form !== null}
        source={form?.source ?? null}
        onClose={() => setForm(null)}
        onSaved={(saved) => {
          reload();
          openSource(saved.code);
        }}
      />
    </div>
  );
}
