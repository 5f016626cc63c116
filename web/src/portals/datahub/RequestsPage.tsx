import { ReloadOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Select, Spin, Table, Tabs } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { HTMLAttributes } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import {
  listSharingRequests,
  REQUEST_STATUSES,
  type RequestBox,
  type RequestStatus,
  type RequestView,
} from "../../shared/datahub";
import { formatDateTime } from "../../shared/format";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { type Translate, useT } from "../../shared/i18n";
import { useUpdateParams } from "../../shared/params";
import { RequestFlags, RequestStatusTag, useDatahubRoles } from "./datahubParts";

const PAGE_SIZE = 20;

const requestPath = (r: RequestView) => `/datahub/requests/${encodeURIComponent(r.id)}`;

function RequestCard({ request, box, t }: { request: RequestView; box: RequestBox; t: Translate }) {
  return (
    <Link to={requestPath(request)} className="ff-resource-card" data-testid={`request-row-${request.id}`}>
      <span className="ff-resource-card-head">
        <strong>{request.resourceName}</strong>
        <span className="ff-tag-wrap">
          <RequestStatusTag status={request.status} t={t} />
          <RequestFlags request={request} t={t} />
        </span>
      </span>
      <span className="ff-muted ff-small">
        {box === "mine" ? request.providerDepartmentName : request.consumerDepartmentName} · {request.purpose}
      </span>
      <span className="ff-muted ff-small">
        {request.requesterName} · {formatDateTime(request.createdAt).slice(0, 16)}
      </span>
    </Link>
  );
}

/** 共享申请: my department's requests, those awaiting my review, and (the data bureau) all of them. */
export function RequestsPage() {
  const t = useT();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { bureau } = useDatahubRoles();
  const [params] = useSearchParams();
  const update = useUpdateParams();
  const boxes: RequestBox[] = bureau ? ["mine", "review", "all"] : ["mine", "review"];
  const boxParam = params.get("box") as RequestBox | null;
  const box: RequestBox = boxParam && boxes.includes(boxParam) ? boxParam : "mine";
  const statusParam = params.get("status") ?? "";
  const status = (REQUEST_STATUSES as readonly string[]).includes(statusParam)
    ? (statusParam as RequestStatus)
    : "";

  const list = useRequest((signal) => listSharingRequests({ box, status }, signal), [box, status]);
  const items = list.data ?? [];
  const open = (r: RequestView) => navigate(requestPath(r));

  const columns: ColumnsType<RequestView> = [
    {
      title: t("datahub.request.resource"),
      key: "resource",
      render: (_, r) => (
        <span>
          <strong>{r.resourceName}</strong>
          <div className="ff-mono ff-muted ff-small">{r.resourceCode}</div>
        </span>
      ),
    },
    box === "mine"
      ? {
          title: t("datahub.request.provider"),
          dataIndex: "providerDepartmentName",
          width: 180,
          ellipsis: true,
        }
      : {
          title: t("datahub.request.consumer"),
          dataIndex: "consumerDepartmentName",
          width: 180,
          ellipsis: true,
        },
    { title: t("datahub.request.purpose"), dataIndex: "purpose", ellipsis: true },
    {
      title: t("datahub.request.statusLabel"),
      key: "status",
      width: 200,
      render: (_, r) => (
        <span className="ff-tag-wrap">
          <RequestStatusTag status={r.status} t={t} />
          <RequestFlags request={r} t={t} />
        </span>
      ),
    },
    { title: t("datahub.request.requester"), dataIndex: "requesterName", width: 110 },
    {
      title: t("datahub.request.createdAt"),
      dataIndex: "createdAt",
      width: 150,
      render: (v: string) => <span className="ff-nowrap">{formatDateTime(v).slice(0, 16)}</span>,
    },
  ];
  const empty = <Empty description={t(`datahub.request.empty.${box}`)} />;

  return (
    <div data-testid="datahub-requests">
      <PageHeader
        title={t("datahub.nav.requests")}
        subtitle={t("datahub.request.subtitle")}
        extra={
          <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t("common.reload")}>
            {!mobile && t("common.reload")}
          </Button>
        }
      />
      <Tabs
        activeKey={box}
        onChange={(key) => update({ box: key === "mine" ? null : key })}
        items={boxes.map((b) => ({
          key: b,
          label: <span data-testid={`requests-tab-${b}`}>{t(`datahub.request.tab.${b}`)}</span>,
        }))}
        className="ff-inbox-tabs"
      />
      <Card className="ff-card ff-filter-card ff-inbox-filters">
        <div className="ff-filters">
          <Select
            allowClear
            value={status || undefined}
            onChange={(v: string | undefined) => update({ status: v ?? null })}
            placeholder={t("datahub.request.filterStatus")}
            options={REQUEST_STATUSES.map((s) => ({ value: s, label: t(`datahub.request.status.${s}`) }))}
            className="ff-filter-process"
            data-testid="requests-filter-status"
          />
        </div>
      </Card>
      <ProblemAlert error={list.error} onRetry={list.reload} style={{ marginBottom: 16 }} />
      <Card className="ff-card" styles={{ body: mobile ? { padding: 8 } : undefined }}>
        {mobile ? (
          <Spin spinning={list.loading}>
            <div className="ff-card-list" data-testid="requests-list">
              {items.length === 0 && !list.loading && empty}
              {items.map((r) => (
                <RequestCard key={r.id} request={r} box={box} t={t} />
              ))}
            </div>
          </Spin>
        ) : (
          <Table<RequestView>
            rowKey="id"
            size="middle"
            loading={list.loading}
            columns={columns}
            dataSource={items}
            scroll={{ x: 1000 }}
            rowClassName="ff-clickable-row"
            onRow={(r) =>
              ({
                onClick: () => open(r),
                "data-testid": `request-row-${r.id}`,
              }) as HTMLAttributes<HTMLElement>
            }
            pagination={items.length > PAGE_SIZE ? { pageSize: PAGE_SIZE, showSizeChanger: false } : false}
            locale={{ emptyText: empty }}
            data-testid="requests-table"
          />
        )}
      </Card>
    </div>
  );
}
