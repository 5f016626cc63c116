import { EditOutlined, ReloadOutlined, SearchOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Input, Select, Space, Tabs } from "antd";
import type { ColumnsType } from "antd/es/table";
import { Link, useNavigate, useSearchParams } from "react-router";
import { PagedList } from "../../../shared/components/PagedList";
import { PageHeader } from "../../../shared/components/PageHeader";
import { ProblemAlert } from "../../../shared/components/ProblemAlert";
import { formatDateTime } from "../../../shared/format";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { type Translate, useT } from "../../../shared/i18n";
import {
  DOC_DIRECTIONS,
  type DocDirection,
  type DocumentSummary,
  INCOMING_STATUSES,
  listDocuments,
  OUTGOING_STATUSES,
} from "../../../shared/office";
import { positiveInt, useSearchDraft, useUpdateParams } from "../../../shared/params";
import { DocMarks, DocStatusTag, docTypeName, organOf, statusName } from "./docParts";
import "./documents.css";

/** Who the document comes from: the drafter of an outgoing one, the issuing organ of an incoming one. */
function origin(doc: DocumentSummary): string {
  return doc.direction === "incoming" ? organOf(doc.organMark) : doc.createdBy.name;
}

function DocCard({ doc, t }: { doc: DocumentSummary; t: Translate }) {
  return (
    <Link
      to={`/office/documents/${encodeURIComponent(doc.id)}`}
      className="ff-doc-card"
      data-testid={`doc-row-${doc.id}`}
    >
      <span className="ff-doc-card-head">
        <strong className="ff-doc-card-title">{doc.title}</strong>
        <DocStatusTag status={doc.status} t={t} />
      </span>
      <span className="ff-doc-card-meta ff-small">
        <span>
          <DocMarks urgency={doc.urgency} classification={doc.classification} t={t} />
          <span className="ff-muted">
            {docTypeName(doc.docType, t)}
            {doc.number ? ` · ${doc.number}` : ""}
          </span>
        </span>
        <span className="ff-muted">
          {origin(doc)} · {formatDateTime(doc.updatedAt).slice(5, 16)}
        </span>
      </span>
    </Link>
  );
}

/** 公文: the department's outgoing (发文) and incoming (收文) documents. */
export function DocumentsPage() {
  const t = useT();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const update = useUpdateParams();
  const direction: DocDirection = params.get("direction") === "incoming" ? "incoming" : "outgoing";
  const statuses: readonly string[] = direction === "incoming" ? INCOMING_STATUSES : OUTGOING_STATUSES;
  const statusParam = params.get("status") ?? "";
  const status = statuses.includes(statusParam) ? statusParam : "";
  const q = params.get("q") ?? "";
  const page = positiveInt(params.get("page"), 1);
  const pageSize = positiveInt(params.get("pageSize"), 20);
  const [qDraft, setQDraft] = useSearchDraft("q");

  const list = useRequest(
    (signal) => listDocuments({ direction, status, q, page, pageSize }, signal),
    [direction, status, q, page, pageSize],
  );
  const items = list.data?.items ?? [];
  const open = (doc: DocumentSummary) => navigate(`/office/documents/${encodeURIComponent(doc.id)}`);

  const columns: ColumnsType<DocumentSummary> = [
    {
      title: t("office.doc.field.title"),
      key: "title",
      render: (_, doc) => (
        <span className="ff-doc-title-cell">
          <DocMarks urgency={doc.urgency} classification={doc.classification} t={t} />
          <strong>{doc.title}</strong>
        </span>
      ),
    },
    {
      title: t("office.doc.field.number"),
      dataIndex: "number",
      width: 180,
      render: (v: string | null) => <span className="ff-nowrap">{v ?? "—"}</span>,
    },
    {
      title: t("office.doc.field.docType"),
      dataIndex: "docType",
      width: 90,
      render: (v: string) => docTypeName(v, t),
    },
    {
      title: t("office.doc.field.status"),
      dataIndex: "status",
      width: 110,
      render: (v: string) => <DocStatusTag status={v} t={t} />,
    },
    {
      title: direction === "incoming" ? t("office.doc.field.fromOrgan") : t("office.doc.field.drafter"),
      key: "origin",
      width: 160,
      ellipsis: true,
      render: (_, doc) => origin(doc),
    },
    {
      title: t("office.doc.field.updatedAt"),
      dataIndex: "updatedAt",
      width: 150,
      render: (v: string) => <span className="ff-nowrap">{formatDateTime(v).slice(0, 16)}</span>,
    },
  ];

  const empty = (
    <Empty description={q || status ? t("office.doc.emptyFiltered") : t(`office.doc.empty.${direction}`)} />
  );

  return (
    <div data-testid="office-documents">
      <PageHeader
        title={t("office.doc.title")}
        subtitle={t("office.doc.subtitle")}
        extra={
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t("common.reload")}>
              {!mobile && t("common.reload")}
            </Button>
            <Button
              type="primary"
              icon={<EditOutlined />}
              onClick={() => navigate("/office/documents/new")}
              data-testid="doc-new"
            >
              {t("office.doc.new")}
            </Button>
          </Space>
        }
      />
      <Tabs
        activeKey={direction}
        onChange={(key) => update({ direction: key === "outgoing" ? null : key, status: null, page: null })}
        items={DOC_DIRECTIONS.map((d) => ({
          key: d,
          label: <span data-testid={`doc-tab-${d}`}>{t(`office.doc.tab.${d}`)}</span>,
        }))}
        className="ff-inbox-tabs"
      />
      <Card className="ff-card ff-filter-card ff-inbox-filters">
        <div className="ff-filters">
          <Input
            allowClear
            prefix={<SearchOutlined />}
            value={qDraft}
            onChange={(e) => setQDraft(e.target.value)}
            onPressEnter={() => update({ q: qDraft.trim() || null, page: null })}
            placeholder={t("office.doc.searchPlaceholder")}
            className="ff-filter-search"
            data-testid="doc-search"
          />
          <Select
            allowClear
            value={status || undefined}
            onChange={(v: string | undefined) => update({ status: v ?? null, page: null })}
            placeholder={t("office.doc.filterStatus")}
            options={statuses.map((s) => ({ value: s, label: statusName(s, t) }))}
            className="ff-filter-process"
            data-testid="doc-filter-status"
          />
        </div>
      </Card>
      <ProblemAlert error={list.error} onRetry={list.reload} style={{ marginBottom: 16 }} />
      <Card className="ff-card" styles={{ body: mobile ? { padding: 8 } : undefined }}>
        <PagedList<DocumentSummary>
          mobile={mobile}
          items={items}
          total={list.data?.total ?? 0}
          loading={list.loading}
          page={page}
          pageSize={pageSize}
          onPage={update}
          columns={columns}
          card={(doc) => <DocCard key={doc.id} doc={doc} t={t} />}
          onOpen={open}
          empty={empty}
          testId="doc"
          rowTestId="doc-row"
        />
      </Card>
    </div>
  );
}
