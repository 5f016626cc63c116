import { ReloadOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Tabs, Tag, Tooltip } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useSearchParams } from "react-router";
import { PagedList } from "../../../shared/components/PagedList";
import { PageHeader } from "../../../shared/components/PageHeader";
import type { Base } from "../../../shared/datahub";
import { formatDateTime } from "../../../shared/format";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { type Translate, useT } from "../../../shared/i18n";
import { listReviews, type Paged, type Review } from "../../../shared/masterdata";
import { positiveInt, useUpdateParams } from "../../../shared/params";
import {
  BaseFilter,
  BaseTag,
  fieldTitle,
  isBase,
  MasterForbidden,
  MasterProblem,
  percent,
  useMasterRoles,
} from "./masterParts";
import { ReviewDrawer, ReviewStatusTag, Similarity } from "./ReviewDrawer";

const TABS = ["pending", "decided", "void"] as const;
type Tab = (typeof TABS)[number];
/** Decided pairs shown: the latest of each decision (the queue is paged by one status at a time). */
const DECIDED_WINDOW = 100;

/** 是同一人 and 不是 pairs together, latest decision first. */
async function decidedPairs(
  base: Base | null,
  signal: AbortSignal,
): Promise<Paged<Review> & { more: boolean }> {
  const query = { ...(base ? { base } : {}), page: 1, pageSize: DECIDED_WINDOW };
  const [match, distinct] = await Promise.all([
    listReviews({ ...query, status: "match" }, signal),
    listReviews({ ...query, status: "distinct" }, signal),
  ]);
  const items = [...match.items, ...distinct.items].sort((a, b) =>
    (b.decidedAt ?? "").localeCompare(a.decidedAt ?? ""),
  );
  return { total: items.length, items, more: match.total + distinct.total > items.length };
}

/** The compared fields, least alike first: what the reviewer should look at. */
function Features({ review, t }: { review: Review; t: Translate }) {
  const entries = Object.entries(review.features).sort((a, b) => a[1] - b[1]);
  return (
    <span className="ff-master-features">
      {entries.map(([field, value]) => (
        <Tag key={field} color={value >= 0.95 ? "success" : value >= 0.7 ? "warning" : "error"}>
          {fieldTitle(review.base, field, t)} {percent(value)}
        </Tag>
      ))}
    </span>
  );
}

function When({ review }: { review: Review }) {
  if (review.decidedAt)
    return (
      <span className="ff-small">
        {formatDateTime(review.decidedAt).slice(0, 16)}
        {review.decidedByName && <div className="ff-muted">{review.decidedByName}</div>}
      </span>
    );
  return <span className="ff-small ff-nowrap">{formatDateTime(review.createdAt).slice(0, 16)}</span>;
}

function ReviewCard({ review, onOpen, t }: { review: Review; onOpen: () => void; t: Translate }) {
  return (
    <button
      type="button"
      className="ff-staff-card ff-master-card-button"
      onClick={onOpen}
      data-testid={`master-review-row-${review.id}`}
    >
      <span className="ff-resource-card-head">
        <strong data-testid={`master-review-names-${review.id}`}>
          {review.recordName ?? review.recordId} ⇄ {review.candidateName ?? "—"}
        </strong>
        <Similarity value={review.score} />
      </span>
      <span className="ff-resource-card-meta ff-small">
        <span>
          {review.sourceName} · <span className="ff-mono">{review.recordId}</span>
        </span>
        <BaseTag base={review.base} t={t} />
        {review.status !== "pending" && <ReviewStatusTag status={review.status} t={t} />}
        <When review={review} />
      </span>
      <Features review={review} t={t} />
    </button>
  );
}

/** 待核对: pairs the resolver was not sure of; an officer says whether they are the same person or enterprise. */
export function ReviewsPage() {
  const t = useT();
  const mobile = useIsMobile();
  const { officer } = useMasterRoles();
  const [params] = useSearchParams();
  const update = useUpdateParams();
  const tabParam = params.get("tab") as Tab | null;
  const tab: Tab = tabParam && TABS.includes(tabParam) ? tabParam : "pending";
  const baseParam = params.get("base");
  const base = isBase(baseParam) ? baseParam : null;
  const page = positiveInt(params.get("page"), 1);
  const pageSize = positiveInt(params.get("pageSize"), 20);
  const open = params.get("review");

  const list = useRequest(
    async (signal): Promise<Paged<Review> & { more?: boolean }> => {
      if (!officer) return { total: 0, items: [] };
      if (tab === "decided") return decidedPairs(base, signal);
      return listReviews({ ...(base ? { base } : {}), status: tab, page, pageSize }, signal);
    },
    [officer, tab, base, page, pageSize],
  );
  if (!officer) return <MasterForbidden testId="master-reviews-forbidden" />;

  // The decided tab pages locally over the latest decisions; the others page on the server.
  const all = list.data?.items ?? [];
  const items = tab === "decided" ? all.slice((page - 1) * pageSize, page * pageSize) : all;
  const columns: ColumnsType<Review> = [
    {
      title: t("master.review.source"),
      key: "source",
      render: (_, r) => (
        <span>
          <strong data-testid={`master-review-names-${r.id}`}>
            {r.recordName ?? r.recordId} ⇄ {r.candidateName ?? "—"}
          </strong>
          <div className="ff-muted ff-small">
            {r.sourceName} · <span className="ff-mono">{r.recordId}</span>
          </div>
        </span>
      ),
    },
    {
      title: t("master.source.base"),
      dataIndex: "base",
      width: 100,
      render: (_, r) => <BaseTag base={r.base} t={t} />,
    },
    {
      title: t("master.review.score"),
      dataIndex: "score",
      width: 100,
      render: (v: number) => (
        <Tooltip title={t("master.review.scoreHint")}>
          <span>
            <Similarity value={v} />
          </span>
        </Tooltip>
      ),
    },
    { title: t("master.review.features"), key: "features", render: (_, r) => <Features review={r} t={t} /> },
    ...(tab !== "pending"
      ? [
          {
            title: t("master.review.decision"),
            key: "status",
            width: 110,
            render: (_: unknown, r: Review) => <ReviewStatusTag status={r.status} t={t} />,
          },
        ]
      : []),
    {
      title: tab === "decided" ? t("master.review.decidedAt") : t("master.review.queuedAt"),
      key: "when",
      width: 150,
      render: (_, r) => <When review={r} />,
    },
  ];

  return (
    <div data-testid="datahub-master-reviews">
      <PageHeader
        title={t("datahub.nav.masterReviews")}
        subtitle={t("master.reviews.subtitle")}
        extra={
          <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t("common.reload")}>
            {!mobile && t("common.reload")}
          </Button>
        }
      />
      <Tabs
        activeKey={tab}
        onChange={(key) => update({ tab: key === "pending" ? null : key, page: null })}
        items={TABS.map((k) => ({
          key: k,
          label: <span data-testid={`master-reviews-tab-${k}`}>{t(`master.reviews.tab.${k}`)}</span>,
        }))}
        className="ff-inbox-tabs"
      />
      <Card className="ff-card ff-filter-card ff-inbox-filters">
        <div className="ff-filters">
          <BaseFilter
            value={base}
            onChange={(b) => update({ base: b, page: null })}
            testId="master-reviews-base"
          />
          {tab === "decided" && list.data?.more && (
            <span className="ff-muted ff-small">
              {t("master.reviews.latestOnly", { count: DECIDED_WINDOW })}
            </span>
          )}
        </div>
      </Card>
      <MasterProblem error={list.error} onRetry={list.reload} />
      <Card className="ff-card" styles={{ body: mobile ? { padding: 8 } : undefined }}>
        <PagedList<Review>
          mobile={mobile}
          items={items}
          total={list.data?.total ?? 0}
          loading={list.loading}
          page={page}
          pageSize={pageSize}
          onPage={(p) => update({ page: p.page, ...(p.pageSize ? { pageSize: p.pageSize } : {}) })}
          columns={columns}
          card={(r) => (
            <ReviewCard key={r.id} review={r} onOpen={() => update({ review: r.id }, true)} t={t} />
          )}
          onOpen={(r) => update({ review: r.id }, true)}
          empty={<Empty description={t(`master.reviews.empty.${tab}`)} />}
          testId="master-reviews"
          rowTestId="master-review-row"
        />
      </Card>
      <ReviewDrawer id={open} onClose={() => update({ review: null })} onChanged={list.reload} />
    </div>
  );
}
