import { Drawer, Empty } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useNavigate } from "react-router";
import { PagedList } from "../../../shared/components/PagedList";
import { formatNumber } from "../../../shared/format";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { useLocale, useT } from "../../../shared/i18n";
import { type Failure, type FieldRule, listFailures, type QualityBoard } from "../../../shared/masterdata";
import { failureReason, fieldTitle, MasterProblem, RULE_NAMES, ValueText } from "./masterParts";

type Row = Failure & { id: string };

/** The records of a source failing a rule on a field, to be corrected at the source. */
export function FailuresDrawer({
  query,
  onClose,
}: {
  query: { source: QualityBoard["sources"][number]; field: string; rule: FieldRule } | null;
  onClose: () => void;
}) {
  const t = useT();
  const locale = useLocale();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const key = query ? `${query.source.code}/${query.field}/${query.rule}` : "";
  // Another cell starts on its first page.
  const [paging, setPaging] = useState({ key, page: 1, pageSize: 20 });
  const page = paging.key === key ? paging.page : 1;
  const pageSize = paging.pageSize;
  const list = useRequest(
    (signal) =>
      query
        ? listFailures(
            { source: query.source.code, field: query.field, rule: query.rule, page, pageSize },
            signal,
          )
        : Promise.resolve(null),
    [key, page, pageSize],
  );
  const items: Row[] = (list.data?.items ?? []).map((f) => ({ ...f, id: f.recordId }));
  // A failing record opens the golden record it belongs to, where its other sources show.
  const open = (f: Row) => {
    if (query && f.goldenId)
      navigate(`/datahub/master/records?base=${query.source.base}&record=${encodeURIComponent(f.goldenId)}`);
  };
  const consistency = query?.rule === "consistency";
  const columns: ColumnsType<Row> = [
    {
      title: t("master.failures.record"),
      dataIndex: "recordId",
      width: 160,
      render: (v: string) => <span className="ff-mono">{v}</span>,
    },
    {
      title: t("master.failures.value"),
      key: "value",
      render: (_, f) => <ValueText value={f.value} t={t} />,
    },
    ...(consistency
      ? [
          {
            title: t("master.failures.golden"),
            key: "golden",
            render: (_: unknown, f: Row) => <ValueText value={f.goldenValue} t={t} />,
          },
        ]
      : []),
    {
      title: t("master.failures.reason"),
      dataIndex: "reason",
      width: 140,
      render: (v: string) => failureReason(v, t),
    },
  ];
  const title = query
    ? t("master.failures.title", {
        source: query.source.name,
        field: fieldTitle(query.source.base, query.field, t),
        rule: t(RULE_NAMES[query.rule]),
      })
    : "";
  return (
    <Drawer
      open={query !== null}
      onClose={onClose}
      // PagedList's table is at least 1000 px wide.
      size={mobile ? "100%" : 1064}
      destroyOnHidden
      title={title}
      data-testid="master-failures-drawer"
    >
      {list.data && (
        <p className="ff-muted" data-testid="master-failures-total" data-total={list.data.total}>
          {t("master.failures.total", { total: formatNumber(list.data.total, locale) })}
        </p>
      )}
      <MasterProblem error={list.error} onRetry={list.reload} />
      <PagedList<Row>
        mobile={mobile}
        items={items}
        total={list.data?.total ?? 0}
        loading={list.loading}
        page={page}
        pageSize={pageSize}
        onPage={(p) => setPaging({ key, page: p.page, pageSize: p.pageSize ?? pageSize })}
        columns={columns}
        card={(f) => (
          <button
            type="button"
            key={f.id}
            className="ff-staff-card ff-master-card-button"
            onClick={() => open(f)}
            data-testid={`master-failure-${f.id}`}
          >
            <span className="ff-staff-card-head">
              <strong className="ff-mono">{f.recordId}</strong>
              <span className="ff-muted ff-small">{failureReason(f.reason, t)}</span>
            </span>
            <span className="ff-small">
              <ValueText value={f.value} t={t} />
              {consistency && (
                <span className="ff-muted">
                  {" "}
                  → <ValueText value={f.goldenValue} t={t} />
                </span>
              )}
            </span>
          </button>
        )}
        onOpen={open}
        empty={<Empty description={t("master.failures.empty")} />}
        testId="master-failures"
        rowTestId="master-failure"
      />
    </Drawer>
  );
}
