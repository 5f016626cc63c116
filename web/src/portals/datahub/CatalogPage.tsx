import { FilterOutlined, PlusOutlined, ReloadOutlined, SearchOutlined } from "@ant-design/icons";
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Col,
  Drawer,
  Empty,
  Input,
  Pagination,
  Row,
  Space,
  Spin,
} from "antd";
import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import {
  FACETS,
  type Facet,
  type ResourceQuery,
  type ResourceSearch,
  type ResourceSummary,
  searchResources,
} from "../../shared/datahub";
import { formatDate, formatNumber } from "../../shared/format";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { type Translate, useLocale, useT } from "../../shared/i18n";
import { positiveInt, useSearchDraft, useUpdateParams } from "../../shared/params";
import { categoryName, facetLabel, GradeTag, Marked, SharingTypeTag, useDatahubRoles } from "./datahubParts";
import { ResourceFormDrawer } from "./ResourceFormDrawer";

/** Values a facet shows before "more". */
const FACET_PREVIEW = 8;

/**
 * The facets: checkbox lists with counts. The API filters each facet by one value, so checking a value
 * replaces the facet's earlier choice and unchecking it clears the facet.
 */
function FacetPanel({
  facets,
  chosen,
  onChoose,
}: {
  facets: ResourceSearch["facets"] | undefined;
  chosen: Partial<Record<Facet, string>>;
  onChoose: (facet: Facet, value: string | null) => void;
}) {
  const t = useT();
  const [expanded, setExpanded] = useState<Partial<Record<Facet, boolean>>>({});
  const shown = FACETS.filter((f) => (facets?.[f]?.length ?? 0) > 0 || chosen[f]);
  if (!facets) return <Spin className="ff-block-spin" />;
  if (shown.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <div className="ff-facets" data-testid="catalog-facets">
      {shown.map((facet) => {
        const values = facets[facet] ?? [];
        const visible = expanded[facet] ? values : values.slice(0, FACET_PREVIEW);
        return (
          <section key={facet} className="ff-facet">
            <div className="ff-facet-title">{t(`datahub.facet.${facet}`)}</div>
            {visible.map((v) => (
              <Checkbox
                key={v.value}
                checked={chosen[facet] === v.value}
                onChange={(e) => onChoose(facet, e.target.checked ? v.value : null)}
                className="ff-facet-value"
                data-testid={`catalog-facet-${facet}-${v.value}`}
              >
                <span className="ff-facet-label">{facetLabel(facet, v, t)}</span>
                <span className="ff-facet-count">{v.count}</span>
              </Checkbox>
            ))}
            {values.length > FACET_PREVIEW && (
              <button
                type="button"
                className="ff-link-button ff-small"
                onClick={() => setExpanded((e) => ({ ...e, [facet]: !e[facet] }))}
              >
                {expanded[facet]
                  ? t("datahub.catalog.fewer")
                  : t("datahub.catalog.more", { count: values.length })}
              </button>
            )}
          </section>
        );
      })}
    </div>
  );
}

function ResultCard({ resource, q, t }: { resource: ResourceSummary; q: string; t: Translate }) {
  const locale = useLocale();
  return (
    <Link
      to={`/datahub/catalog/${encodeURIComponent(resource.id)}`}
      className="ff-resource-card"
      data-testid={`catalog-result-${resource.id}`}
    >
      <span className="ff-resource-card-head">
        <strong className="ff-resource-card-name">
          <Marked text={resource.name} q={q} />
        </strong>
        <span className="ff-tag-wrap">
          <GradeTag grade={resource.grade} t={t} />
          <SharingTypeTag type={resource.sharingType} t={t} />
          {resource.status === "withdrawn" && (
            <span className="ff-muted">{t("datahub.resource.withdrawn")}</span>
          )}
        </span>
      </span>
      <span className="ff-muted ff-small">
        <span className="ff-mono">{resource.code}</span> · {resource.providerDepartmentName} ·{" "}
        {categoryName(resource.categoryCode, resource.categoryName, t)}
      </span>
      <span className="ff-resource-card-summary">
        <Marked text={resource.summary} q={q} />
      </span>
      <span className="ff-resource-card-meta ff-small ff-muted">
        <span>{t("datahub.resource.itemCount", { count: resource.itemCount })}</span>
        <span>
          {t("datahub.resource.recordCount", { count: formatNumber(resource.recordCount, locale) })}
        </span>
        <span>
          {t("datahub.resource.sharedCount", { count: formatNumber(resource.sharedCount, locale) })}
        </span>
        <span>{t("datahub.resource.updatedOn", { date: formatDate(resource.updatedAt) })}</span>
      </span>
    </Link>
  );
}

/** 数据目录: the district's data resources, searched as one types and narrowed by facets. */
export function CatalogPage() {
  const t = useT();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { mayRegister } = useDatahubRoles();
  const [params] = useSearchParams();
  const update = useUpdateParams();
  const [qDraft, setQDraft] = useSearchDraft("q");
  const [filtersOpen, setFiltersOpen] = useState(false);
  const q = params.get("q") ?? "";
  const page = positiveInt(params.get("page"), 1);
  const pageSize = positiveInt(params.get("pageSize"), 20);
  const registering = params.get("new") === "1";
  const chosen: Partial<Record<Facet, string>> = {};
  for (const facet of FACETS) {
    const value = params.get(facet);
    if (value) chosen[facet] = value;
  }
  const chosenKey = FACETS.map((f) => chosen[f] ?? "").join("|");

  const search = useRequest(
    (signal) => {
      const query: ResourceQuery = { ...chosen, page, pageSize };
      if (q) query.q = q;
      return searchResources(query, signal);
    },
    [q, chosenKey, page, pageSize],
  );
  const chosenCount = Object.keys(chosen).length;
  const choose = (facet: Facet, value: string | null) => update({ [facet]: value, page: null });
  const clearFacets = () => update({ ...Object.fromEntries(FACETS.map((f) => [f, null])), page: null });

  const panel = <FacetPanel facets={search.data?.facets} chosen={chosen} onChoose={choose} />;
  const items = search.data?.items ?? [];
  const total = search.data?.total ?? 0;

  return (
    <div data-testid="datahub-catalog">
      <PageHeader
        title={t("datahub.nav.catalog")}
        subtitle={t("datahub.catalog.subtitle")}
        extra={
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={search.reload} aria-label={t("common.reload")}>
              {!mobile && t("common.reload")}
            </Button>
            {mayRegister && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => update({ new: "1" }, true)}
                data-testid="resource-register"
              >
                {t("datahub.catalog.register")}
              </Button>
            )}
          </Space>
        }
      />
      <Card className="ff-card ff-filter-card">
        <div className="ff-filters">
          <Input
            allowClear
            size="large"
            prefix={<SearchOutlined />}
            value={qDraft}
            onChange={(e) => setQDraft(e.target.value)}
            onPressEnter={() => update({ q: qDraft.trim() || null, page: null })}
            placeholder={t("datahub.catalog.searchPlaceholder")}
            className="ff-catalog-search"
            data-testid="catalog-search"
          />
          {mobile && (
            <Badge count={chosenCount} size="small">
              <Button
                size="large"
                icon={<FilterOutlined />}
                onClick={() => setFiltersOpen(true)}
                data-testid="catalog-filter-open"
              >
                {t("datahub.catalog.filters")}
              </Button>
            </Badge>
          )}
        </div>
      </Card>
      <ProblemAlert error={search.error} onRetry={search.reload} style={{ marginBottom: 16 }} />
      <Row gutter={[16, 16]}>
        {!mobile && (
          <Col md={8} lg={7} xl={6}>
            <Card
              className="ff-card"
              size="small"
              title={t("datahub.catalog.filters")}
              extra={
                chosenCount > 0 && (
                  <button type="button" className="ff-link-button" onClick={clearFacets}>
                    {t("datahub.catalog.clearFilters")}
                  </button>
                )
              }
            >
              {panel}
            </Card>
          </Col>
        )}
        <Col xs={24} md={16} lg={17} xl={18}>
          <Card
            className="ff-card"
            size="small"
            title={
              <span data-testid="catalog-total" data-total={total}>
                {t("datahub.catalog.total", { total })}
              </span>
            }
            styles={{ body: mobile ? { padding: 8 } : undefined }}
          >
            {search.data?.fuzzy && (
              <Alert
                type="info"
                showIcon
                className="ff-catalog-fuzzy"
                title={t("datahub.catalog.fuzzy", { q })}
                data-testid="catalog-fuzzy"
              />
            )}
            <Spin spinning={search.loading}>
              <div className="ff-card-list" data-testid="catalog-results">
                {items.length === 0 && !search.loading && (
                  <Empty
                    description={q || chosenCount ? t("datahub.catalog.noMatch") : t("datahub.catalog.empty")}
                  />
                )}
                {items.map((r) => (
                  <ResultCard key={r.id} resource={r} q={q} t={t} />
                ))}
              </div>
            </Spin>
            {total > pageSize && (
              <Pagination
                className="ff-pagination"
                size={mobile ? "small" : undefined}
                current={page}
                pageSize={pageSize}
                total={total}
                showSizeChanger={!mobile}
                onChange={(p, size) => update({ page: size !== pageSize ? 1 : p, pageSize: size })}
              />
            )}
          </Card>
        </Col>
      </Row>
      {mobile && (
        <Drawer
          placement="bottom"
          size="80%"
          open={filtersOpen}
          onClose={() => setFiltersOpen(false)}
          title={t("datahub.catalog.filters")}
          extra={
            chosenCount > 0 && (
              <button type="button" className="ff-link-button" onClick={clearFacets}>
                {t("datahub.catalog.clearFilters")}
              </button>
            )
          }
          data-testid="catalog-filter-drawer"
        >
          {panel}
        </Drawer>
      )}
      {mayRegister && (
        <ResourceFormDrawer
          open={registering}
          resource={null}
          onClose={() => update({ new: null })}
          onSaved={(saved) => navigate(`/datahub/catalog/${encodeURIComponent(saved.id)}`)}
        />
      )}
    </div>
  );
}
