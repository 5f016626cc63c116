import { EditOutlined, PlusOutlined, ReloadOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Space, Spin, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { HTMLAttributes } from "react";
import { useNavigate } from "react-router";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { formatDateTime } from "../../shared/format";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { useT } from "../../shared/i18n";
import { listProcesses, type ProcessSummary } from "../../shared/workflow";

const editPath = (key: string) => `/admin/processes/edit?key=${encodeURIComponent(key)}`;

/** 流程管理: the deployed BPMN processes of every network, and the way into the modeler. */
export function ProcessesPage() {
  const t = useT();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const list = useRequest((signal) => listProcesses(signal), []);
  const items = list.data?.items ?? [];

  const editButton = (p: ProcessSummary) => (
    <Button
      size="small"
      icon={<EditOutlined />}
      onClick={(e) => {
        e.stopPropagation();
        navigate(editPath(p.key));
      }}
      data-testid={`process-edit-${p.key}`}
    >
      {t("process.edit")}
    </Button>
  );

  const columns: ColumnsType<ProcessSummary> = [
    { title: t("process.name"), dataIndex: "name", width: 200, render: (v: string) => <strong>{v}</strong> },
    {
      title: t("process.key"),
      dataIndex: "key",
      width: 200,
      render: (v: string) => <span className="ff-mono">{v}</span>,
    },
    {
      title: t("process.latestVersion"),
      key: "version",
      width: 120,
      render: (_, p) => (
        <span>
          {t("process.versionTag", { version: p.version })}{" "}
          <span className="ff-muted ff-small">{t("process.versionCount", { count: p.versionCount })}</span>
        </span>
      ),
    },
    {
      title: t("process.deployedAt"),
      key: "deployedAt",
      width: 200,
      render: (_, p) => (
        <span>
          <span className="ff-nowrap">{formatDateTime(p.deployedAt).slice(0, 16)}</span>
          {p.deployedBy && <span className="ff-muted ff-small ff-block">{p.deployedBy.name}</span>}
        </span>
      ),
    },
    {
      title: t("process.activeInstances"),
      dataIndex: "activeInstances",
      width: 110,
      align: "right",
      render: (v: number) =>
        v > 0 ? <Tag color="processing">{v}</Tag> : <span className="ff-muted">0</span>,
    },
    {
      title: t("common.actions"),
      key: "actions",
      width: 100,
      fixed: "right",
      render: (_, p) => editButton(p),
    },
  ];

  const empty = <Empty description={t("process.empty")} />;

  return (
    <div data-testid="admin-processes">
      <PageHeader
        title={t("nav.admin.processes")}
        subtitle={t("process.subtitle")}
        extra={
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label={t("common.reload")}>
              {!mobile && t("common.reload")}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate("/admin/processes/edit")}
              data-testid="process-new"
            >
              {t("process.new")}
            </Button>
          </Space>
        }
      />
      <ProblemAlert error={list.error} onRetry={list.reload} style={{ marginBottom: 16 }} />
      <Card className="ff-card" styles={{ body: mobile ? { padding: 8 } : undefined }}>
        {mobile ? (
          <Spin spinning={list.loading}>
            <div className="ff-card-list" data-testid="process-list">
              {items.length === 0 && !list.loading && empty}
              {items.map((p) => (
                <div key={p.key} className="ff-staff-card" data-testid={`process-row-${p.key}`}>
                  <div className="ff-staff-card-head">
                    <strong>{p.name}</strong>
                    <span className="ff-mono ff-muted ff-small">{p.key}</span>
                  </div>
                  <div className="ff-muted ff-small">
                    {t("process.versionTag", { version: p.version })} ·{" "}
                    {t("process.versionCount", { count: p.versionCount })} ·{" "}
                    {t("process.activeCount", { count: p.activeInstances })}
                  </div>
                  <div>{editButton(p)}</div>
                </div>
              ))}
            </div>
          </Spin>
        ) : (
          <Table<ProcessSummary>
            rowKey="key"
            size="middle"
            loading={list.loading}
            columns={columns}
            dataSource={items}
            scroll={{ x: 930 }}
            rowClassName="ff-clickable-row"
            onRow={(p) =>
              ({
                onClick: () => navigate(editPath(p.key)),
                "data-testid": `process-row-${p.key}`,
              }) as HTMLAttributes<HTMLElement>
            }
            data-testid="process-table"
            locale={{ emptyText: empty }}
            pagination={
              items.length > 20 ? { pageSize: 20, showTotal: (total) => t("common.total", { total }) } : false
            }
          />
        )}
      </Card>
    </div>
  );
}
