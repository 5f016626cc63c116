import { AppstoreAddOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Select } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useNavigate, useSearchParams } from "react-router";
import { PagedList } from "../../../shared/components/PagedList";
import { PageHeader } from "../../../shared/components/PageHeader";
import { formatDateTime } from "../../../shared/format";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { type Translate, useT } from "../../../shared/i18n";
import { positiveInt, useUpdateParams } from "../../../shared/params";
import {
  APPLICATION_STATUSES,
  type ApplicationStatus,
  type ApplicationSummary,
  listMyApplications,
} from "../../../shared/services";
import { DeadlineTag, ServiceProblem, StatusTag } from "./serviceParts";

function ApplicationCard({ app, onOpen, t }: { app: ApplicationSummary; onOpen: () => void; t: Translate }) {
  return (
    <button type="button" className="ff-task-card" onClick={onOpen} data-testid={`services-my-row-${app.id}`}>
      <span className="ff-task-card-head">
        <strong>{app.serviceName}</strong>
        <StatusTag status={app.status} t={t} />
      </span>
      <span className="ff-muted ff-small ff-mono">{app.receiptNo}</span>
      <span className="ff-task-card-meta ff-small">
        <span className="ff-muted">{formatDateTime(app.submittedAt ?? app.createdAt).slice(0, 16)}</span>
        <DeadlineTag deadline={app.deadline} status={app.status} t={t} />
      </span>
    </button>
  );
}

/** 我的办件: the applicant's applications with their status and deadline. */
export function MyApplicationsPage() {
  const t = useT();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const update = useUpdateParams();
  const status = params.get("status") ?? "";
  const page = positiveInt(params.get("page"), 1);
  const pageSize = positiveInt(params.get("pageSize"), 20);
  const list = useRequest(
    (signal) => listMyApplications({ status, page, pageSize }, signal),
    [status, page, pageSize],
  );
  const open = (app: ApplicationSummary) => navigate(`/citizen/applications/${app.id}`);
  const columns: ColumnsType<ApplicationSummary> = [
    {
      title: t("services.my.item"),
      dataIndex: "serviceName",
      render: (name: string, app) => (
        <span>
          <strong>{name}</strong>
          <div className="ff-muted ff-small">{app.department.name}</div>
        </span>
      ),
    },
    {
      title: t("services.receipt.receiptNo"),
      dataIndex: "receiptNo",
      width: 200,
      render: (v: string) => <span className="ff-mono">{v}</span>,
    },
    {
      title: t("services.my.status"),
      dataIndex: "status",
      width: 120,
      render: (s: ApplicationStatus) => <StatusTag status={s} t={t} />,
    },
    {
      title: t("services.my.submittedAt"),
      key: "submittedAt",
      width: 160,
      render: (_, app) => (
        <span className="ff-nowrap">{formatDateTime(app.submittedAt ?? app.createdAt).slice(0, 16)}</span>
      ),
    },
    {
      title: t("services.my.deadline"),
      key: "deadline",
      width: 160,
      render: (_, app) => <DeadlineTag deadline={app.deadline} status={app.status} t={t} />,
    },
  ];
  return (
    <div data-testid="services-my">
      <PageHeader
        title={t("services.my.title")}
        subtitle={t("services.my.subtitle")}
        extra={
          <Button icon={<AppstoreAddOutlined />} onClick={() => navigate("/citizen/services")}>
            {t("services.hall.title")}
          </Button>
        }
      />
      <Card className="ff-card ff-filter-card">
        <Select
          allowClear
          value={status || undefined}
          onChange={(v: string | undefined) => update({ status: v ?? null, page: null })}
          placeholder={t("services.my.filterStatus")}
          options={APPLICATION_STATUSES.map((s) => ({ value: s, label: t(`services.status.${s}`) }))}
          className="ff-svc-filter-status"
          data-testid="services-my-status"
        />
      </Card>
      <ServiceProblem error={list.error} onRetry={list.reload} />
      <Card className="ff-card" styles={{ body: mobile ? { padding: 8 } : undefined }}>
        <PagedList<ApplicationSummary>
          mobile={mobile}
          items={list.data?.items ?? []}
          total={list.data?.total ?? 0}
          loading={list.loading}
          page={page}
          pageSize={pageSize}
          onPage={(p) => update({ page: p.page, ...(p.pageSize ? { pageSize: p.pageSize } : {}) })}
          columns={columns}
          card={(app) => <ApplicationCard key={app.id} app={app} onOpen={() => open(app)} t={t} />}
          onOpen={open}
          empty={<Empty description={t("services.my.none")} />}
          testId="services-my"
          rowTestId="services-my-row"
        />
      </Card>
    </div>
  );
}
