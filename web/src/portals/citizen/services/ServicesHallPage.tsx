import { SearchOutlined } from "@ant-design/icons";
import { Card, Col, Empty, Input, Pagination, Row, Segmented, Select, Skeleton, Tag } from "antd";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { PageHeader } from "../../../shared/components/PageHeader";
import { useRequest } from "../../../shared/hooks/useRequest";
import { useT } from "../../../shared/i18n";
import { positiveInt, useUpdateParams } from "../../../shared/params";
import { type ApplicantType, listServices, type ServiceFacets } from "../../../shared/services";
import { ServiceCard } from "./ServiceCard";
import { lifeEventName, ServiceProblem } from "./serviceParts";

const PAGE_SIZE = 12;

/** 人生事件 chips: one at a time; the selected one again clears it. */
export function LifeEventChips({
  facets,
  value,
  onChange,
}: {
  facets: ServiceFacets["lifeEvents"];
  value: string;
  onChange: (key: string | null) => void;
}) {
  const t = useT();
  return (
    <div className="ff-svc-chips" data-testid="services-life-events">
      {facets.map((f) => (
        <Tag.CheckableTag
          key={f.key}
          checked={value === f.key}
          onChange={(on) => onChange(on ? f.key : null)}
          data-testid={`services-life-event-${f.key}`}
          className="ff-svc-chip"
        >
          {lifeEventName(f.key, t, f.name)} <span className="ff-svc-chip-count">{f.count}</span>
        </Tag.CheckableTag>
      ))}
    </div>
  );
}

/** 办事大厅: every published item, searched in Chinese, browsed by life event, department and applicant. */
export function ServicesHallPage() {
  const t = useT();
  const [params] = useSearchParams();
  const update = useUpdateParams();
  const q = params.get("q") ?? "";
  const lifeEvent = params.get("lifeEvent") ?? "";
  const department = params.get("department") ?? "";
  const applicantType = (params.get("applicantType") ?? "") as ApplicantType | "";
  const page = positiveInt(params.get("page"), 1);
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);

  const list = useRequest(
    (signal) => listServices({ q, lifeEvent, department, applicantType, page, pageSize: PAGE_SIZE }, signal),
    [q, lifeEvent, department, applicantType, page],
  );
  const facets = list.data?.facets;

  return (
    <div data-testid="services-hall">
      <PageHeader title={t("services.hall.title")} subtitle={t("services.hall.subtitle")} />
      <Card className="ff-card ff-filter-card">
        <Input.Search
          allowClear
          size="large"
          enterButton={
            <span>
              <SearchOutlined /> {t("common.search")}
            </span>
          }
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onSearch={(v) => update({ q: v.trim() || null, page: null })}
          maxLength={60}
          placeholder={t("services.hall.searchPlaceholder")}
          data-testid="services-search"
        />
        {facets && facets.lifeEvents.length > 0 && (
          <LifeEventChips
            facets={facets.lifeEvents}
            value={lifeEvent}
            onChange={(key) => update({ lifeEvent: key, page: null })}
          />
        )}
        <div className="ff-filters ff-svc-filters">
          <Select
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            value={department || undefined}
            onChange={(v: string | undefined) => update({ department: v ?? null, page: null })}
            placeholder={t("services.hall.department")}
            options={(facets?.departments ?? []).map((d) => ({
              value: d.code,
              label: `${d.name} (${d.count})`,
            }))}
            className="ff-svc-filter-department"
            data-testid="services-filter-department"
          />
          <Segmented<string>
            value={applicantType || "all"}
            onChange={(v) => update({ applicantType: v === "all" ? null : v, page: null })}
            options={[
              { value: "all", label: t("services.hall.applicantAll") },
              { value: "person", label: t("services.applicant.person") },
              { value: "legal", label: t("services.applicant.legal") },
            ]}
            data-testid="services-filter-applicant"
          />
        </div>
      </Card>
      <ServiceProblem error={list.error} onRetry={list.reload} />
      {list.data && (
        <p className="ff-muted ff-small" data-testid="services-total" data-total={list.data.total}>
          {t("services.hall.total", { total: list.data.total })}
        </p>
      )}
      {list.loading && !list.data ? (
        <Skeleton active />
      ) : (
        <Row gutter={[16, 16]} data-testid="services-results">
          {(list.data?.items ?? []).map((s) => (
            <Col key={s.id} xs={24} md={12} xl={8}>
              <ServiceCard service={s} to={`/citizen/services/${s.id}`} />
            </Col>
          ))}
          {list.data && list.data.items.length === 0 && (
            <Col xs={24}>
              <Empty description={t("services.hall.none")} />
            </Col>
          )}
        </Row>
      )}
      {(list.data?.total ?? 0) > PAGE_SIZE && (
        <Pagination
          className="ff-pagination"
          current={page}
          pageSize={PAGE_SIZE}
          total={list.data?.total ?? 0}
          showSizeChanger={false}
          onChange={(p) => update({ page: p })}
        />
      )}
    </div>
  );
}
