import { SearchOutlined } from "@ant-design/icons";
import { Card, Empty, Input, Tabs } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { PagedList } from "../../../shared/components/PagedList";
import { PageHeader } from "../../../shared/components/PageHeader";
import { BASES, type Base } from "../../../shared/datahub";
import { formatDateTime } from "../../../shared/format";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { type Translate, useT } from "../../../shared/i18n";
import { type GoldenRecord, KEY_FIELD, searchRecords } from "../../../shared/masterdata";
import { positiveInt, useUpdateParams } from "../../../shared/params";
import { BASE_NAMES, fieldTitle, isBase, MasterProblem, ValueText } from "./masterParts";
import { RecordDrawer } from "./RecordDrawer";

/** The fields a result row shows besides the name and the identifier. */
const SUMMARY: Record<Base, readonly string[]> = {
  population: ["gender", "birthDate", "phone"],
  legalPerson: ["legalRepresentative", "establishedDate", "status"],
};

function Value({ record, field, t }: { record: GoldenRecord; field: string; t: Translate }) {
  const f = record.fields[field];
  return <ValueText value={f?.value} masked={f?.masked} t={t} />;
}

function RecordCard({ record, onOpen, t }: { record: GoldenRecord; onOpen: () => void; t: Translate }) {
  const base = record.base;
  return (
    <button
      type="button"
      className="ff-staff-card ff-master-card-button"
      onClick={onOpen}
      data-testid={`master-record-row-${record.id}`}
    >
      <span className="ff-resource-card-head">
        <strong className="ff-resource-card-name">
          <Value record={record} field="name" t={t} />
        </strong>
        <span className="ff-muted ff-small">
          {t("master.record.sourcesCount", { count: record.sources })}
        </span>
      </span>
      <span className="ff-mono ff-small">
        <Value record={record} field={KEY_FIELD[base]} t={t} />
      </span>
      <span className="ff-resource-card-meta ff-small ff-muted">
        {SUMMARY[base].map((f) => (
          <span key={f}>
            {fieldTitle(base, f, t)}: <Value record={record} field={f} t={t} />
          </span>
        ))}
      </span>
    </button>
  );
}

/** 人口库 / 法人库: golden records found by name, identifier or phone; each opens with its provenance. */
export function RecordsPage() {
  const t = useT();
  const mobile = useIsMobile();
  const [params] = useSearchParams();
  const update = useUpdateParams();
  const baseParam = params.get("base");
  const base: Base = isBase(baseParam) ? baseParam : "population";
  const q = (params.get("q") ?? "").trim();
  const page = positiveInt(params.get("page"), 1);
  const pageSize = positiveInt(params.get("pageSize"), 20);
  const open = params.get("record");
  // Searched on Enter, not while typing: every search of personal data is audited.
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);

  const results = useRequest(
    (signal) => (q ? searchRecords(base, { q, page, pageSize }, signal) : Promise.resolve(null)),
    [base, q, page, pageSize],
  );
  const items = results.data?.items ?? [];
  const key = KEY_FIELD[base];
  const columns: ColumnsType<GoldenRecord> = [
    {
      title: fieldTitle(base, "name", t),
      key: "name",
      render: (_, r) => (
        <strong>
          <Value record={r} field="name" t={t} />
        </strong>
      ),
    },
    {
      title: fieldTitle(base, key, t),
      key: "key",
      width: 220,
      render: (_, r) => (
        <span className="ff-mono">
          <Value record={r} field={key} t={t} />
        </span>
      ),
    },
    ...SUMMARY[base].map((f) => ({
      title: fieldTitle(base, f, t),
      key: f,
      render: (_: unknown, r: GoldenRecord) => <Value record={r} field={f} t={t} />,
    })),
    { title: t("master.record.sources"), dataIndex: "sources", width: 90, align: "right" as const },
    {
      title: t("master.record.updatedAt"),
      dataIndex: "updatedAt",
      width: 150,
      render: (v: string) => <span className="ff-small ff-nowrap">{formatDateTime(v).slice(0, 16)}</span>,
    },
  ];

  return (
    <div data-testid="datahub-master-records">
      <PageHeader title={t("datahub.nav.masterRecords")} subtitle={t("master.records.subtitle")} />
      <Tabs
        activeKey={base}
        onChange={(k) => update({ base: k === "population" ? null : k, page: null, record: null })}
        items={BASES.map((b) => ({
          key: b,
          label: <span data-testid={`master-records-tab-${b}`}>{t(BASE_NAMES[b])}</span>,
        }))}
      />
      <Card className="ff-card ff-filter-card">
        <Input.Search
          allowClear
          enterButton={<SearchOutlined aria-label={t("common.search")} />}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onSearch={(v) => update({ q: v.trim() || null, page: null })}
          maxLength={64}
          placeholder={t(`master.records.placeholder.${base}`)}
          className="ff-master-records-search"
          data-testid="master-records-search"
        />
      </Card>
      <MasterProblem error={results.error} onRetry={results.reload} />
      <Card className="ff-card" styles={{ body: mobile ? { padding: 8 } : undefined }}>
        {q ? (
          <>
            {results.data && (
              <p
                className="ff-muted ff-small"
                data-testid="master-records-total"
                data-total={results.data.total}
              >
                {t("common.total", { total: results.data.total })}
              </p>
            )}
            <PagedList<GoldenRecord>
              mobile={mobile}
              items={items}
              total={results.data?.total ?? 0}
              loading={results.loading}
              page={page}
              pageSize={pageSize}
              onPage={(p) => update({ page: p.page, ...(p.pageSize ? { pageSize: p.pageSize } : {}) })}
              columns={columns}
              card={(r) => (
                <RecordCard key={r.id} record={r} onOpen={() => update({ record: r.id }, true)} t={t} />
              )}
              onOpen={(r) => update({ record: r.id }, true)}
              empty={<Empty description={t("master.records.none", { q })} />}
              testId="master-records"
              rowTestId="master-record-row"
            />
          </>
        ) : (
          <Empty description={t(`master.records.hint.${base}`)} data-testid="master-records-hint" />
        )}
      </Card>
      <RecordDrawer base={base} id={open} onClose={() => update({ record: null })} />
    </div>
  );
}
