import { ReloadOutlined, SearchOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Input, Select, Tabs } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useNavigate, useSearchParams } from "react-router";
import { useMe } from "../../../shared/auth";
import { PagedList } from "../../../shared/components/PagedList";
import { PageHeader } from "../../../shared/components/PageHeader";
import { formatDateTime } from "../../../shared/format";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { type Translate, useT } from "../../../shared/i18n";
import { positiveInt, useSearchDraft, useUpdateParams } from "../../../shared/params";
import {
  type ApplicationStatus,
  type ApplicationSummary,
  DESK_BOXES,
  type DeskBox,
  listDeskApplications,
} from "../../../shared/services";
import { ApplicantText, DeadlineTag, ServiceProblem, StatusTag } from "../../citizen/services/serviceParts";

/** The box a role opens first: 受理 for the window's clerks, 审查 for approvers and leaders. */
export function defaultBox(roles: readonly string[]): DeskBox {
  if (roles.includes("clerk")) return "accept";
  if (roles.includes("approver") || roles.includes("leader")) return "review";
  return "all";
}

function DeskCard({ app, onOpen, t }: { app: ApplicationSummary; onOpen: () => void; t: Translate }) {
  return (
    <button
      type="button"
      className="ff-task-card"
      onClick={onOpen}
      data-testid={`services-desk-row-${app.id}`}
    >
      <span className="ff-task-card-head">
        <strong>{app.serviceName}</strong>
        <StatusTag status={app.status} t={t} />
      </span>
      <span className="ff-small">
        <ApplicantText app={app} />
      </span>
      <span className="ff-muted ff-small ff-mono">{app.receiptNo}</span>
      <span className="ff-task-card-meta ff-small">
        <span className="ff-muted">{formatDateTime(app.submittedAt).slice(0, 16)}</span>
        <DeadlineTag deadline={app.deadline} status={app.status} t={t} />
      </span>
    </button>
  );
}

/** 综窗工作台: applications awaiting 受理, 审查 and 送达, with their deadline lights. */
export function DeskPage() {
  const t = useT();
  const me = useMe();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const update = useUpdateParams();
  const boxParam = params.get("box") ?? "";
  const box: DeskBox = (DESK_BOXES as readonly string[]).includes(boxParam)
    ? (boxParam as DeskBox)
    : defaultBox(me.roles);
  const q = params.get("q") ?? "";
  const levelParam = params.get("level");
  const level = levelParam === "yellow" || levelParam === "red" ? levelParam : "";
  const page = positiveInt(params.get("page"), 1);
  const pageSize = positiveInt(params.get("pageSize"), 20);
  const [qDraft, setQDraft] = useSearchDraft("q");
  const list = useRequest(
    (signal) => listDeskApplications({ box, q, level, page, pageSize }, signal),
    [box, q, level, page, pageSize],
  );
  const open = (app: ApplicationSummary) => navigate(`/office/services/applications/${app.id}`);

  const columns: ColumnsType<ApplicationSummary> = [
    {
      title: t("services.receipt.receiptNo"),
      dataIndex: "receiptNo",
      width: 190,
      render: (v: string) => <span className="ff-mono">{v}</span>,
    },
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
      title: t("services.desk.applicant"),
      key: "applicant",
      width: 220,
      render: (_, app) => <ApplicantText app={app} />,
    },
    {
      title: t("services.my.status"),
      dataIndex: "status",
      width: 110,
      render: (s: ApplicationStatus) => <StatusTag status={s} t={t} />,
    },
    {
      title: t("services.my.submittedAt"),
      dataIndex: "submittedAt",
      width: 150,
      render: (v: string | null) => <span className="ff-nowrap">{formatDateTime(v).slice(0, 16)}</span>,
    },
    {
      title: t("services.my.deadline"),
      key: "deadline",
      width: 150,
      render: (_, app) => <DeadlineTag deadline={app.deadline} status={app.status} t={t} />,
    },
  ];

  return (
    <div data-testid="services-desk">
      <PageHeader
        title={t("services.desk.title")}
        subtitle={t("services.desk.subtitle")}
        extra={
          <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t("common.reload")}>
            {!mobile && t("common.reload")}
          </Button>
        }
      />
      <Tabs
        activeKey={box}
        onChange={(key) => update({ box: key, page: null })}
        items={DESK_BOXES.map((b) => ({
          key: b,
          label: <span data-testid={`services-desk-tab-${b}`}>{t(`services.desk.box.${b}`)}</span>,
        }))}
      />
      <Card className="ff-card ff-filter-card">
        <div className="ff-filters">
          <Input
            allowClear
            prefix={<SearchOutlined />}
            value={qDraft}
            onChange={(e) => setQDraft(e.target.value)}
            placeholder={t("services.desk.searchPlaceholder")}
            className="ff-filter-search"
            data-testid="services-desk-search"
          />
          <Select
            allowClear
            value={level || undefined}
            onChange={(v: string | undefined) => update({ level: v ?? null, page: null })}
            placeholder={t("services.desk.level")}
            options={(["yellow", "red"] as const).map((l) => ({
              value: l,
              label: t(`services.level.${l}`),
            }))}
            className="ff-svc-filter-status"
            data-testid="services-desk-level"
          />
        </div>
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
          card={(app) => <DeskCard key={app.id} app={app} onOpen={() => open(app)} t={t} />}
          onOpen={open}
          empty={<Empty description={t(`services.desk.empty.${box}`)} />}
          testId="services-desk"
          rowTestId="services-desk-row"
        />
      </Card>
    </div>
  );
}
