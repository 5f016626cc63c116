import { ArrowLeftOutlined, CloseCircleOutlined, ReloadOutlined, ShareAltOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Col, Descriptions, Empty, Row, Space, Spin } from "antd";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { useMe } from "../../shared/auth";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { formatDateTime } from "../../shared/format";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { useT } from "../../shared/i18n";
import { getInstance, type InstanceDetail } from "../../shared/workflow";
import { CancelModal, CcModal } from "./InstanceActions";
import { HistoryTimeline, InstanceDiagram, InstanceStateTag, variableText } from "./workflowParts";

function Variables({ instance }: { instance: InstanceDetail }) {
  const t = useT();
  const mobile = useIsMobile();
  const entries = Object.entries(instance.variables);
  // The engine sets `initiator` (the starter's username) on every instance.
  const labels: Record<string, string> = { initiator: t("instance.initiator"), ...instance.labels };
  if (entries.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("instance.noVariables")} />;
  return (
    <Descriptions bordered size="small" column={mobile ? 1 : 2} data-testid="instance-variables">
      {entries.map(([name, value]) => (
        <Descriptions.Item
          key={name}
          label={
            labels[name] ? (
              <span>
                {labels[name]}
                <br />
                <span className="ff-mono ff-muted ff-small">{name}</span>
              </span>
            ) : (
              <span className="ff-mono">{name}</span>
            )
          }
        >
          <span className="ff-break">{variableText(value, t)}</span>
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

/** One process instance: where it stands on its diagram, its variables and history; cc and cancel. */
export function InstancePage() {
  const t = useT();
  const me = useMe();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { id = "" } = useParams();
  const instance = useRequest((signal) => getInstance(id, signal), [id]);
  const [cc, setCc] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const data = instance.data;
  const mayCancel = data?.state === "active" && data.startedBy?.id === me.id;

  return (
    <div data-testid="office-instance">
      <PageHeader
        title={data ? data.processName : t("instance.title")}
        subtitle={
          data && (
            <Space wrap size={[8, 4]}>
              <InstanceStateTag state={data.state} t={t} />
              {data.businessKey && <span className="ff-mono">{data.businessKey}</span>}
              <span>
                {t("instance.startedBy", {
                  name: data.startedBy?.name ?? t("instance.system"),
                  time: formatDateTime(data.startedAt),
                })}
              </span>
            </Space>
          )
        }
        extra={
          <Space wrap>
            <Button
              icon={<ArrowLeftOutlined />}
              onClick={() => navigate("/office/tasks")}
              aria-label={t("instance.backToInbox")}
            >
              {!mobile && t("instance.backToInbox")}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={instance.reload} aria-label={t("common.reload")} />
            {data && (
              <Button icon={<ShareAltOutlined />} onClick={() => setCc(true)} data-testid="instance-cc">
                {t("instance.cc")}
              </Button>
            )}
            {mayCancel && (
              <Button
                danger
                icon={<CloseCircleOutlined />}
                onClick={() => setCancelling(true)}
                data-testid="instance-cancel"
              >
                {t("instance.cancel")}
              </Button>
            )}
          </Space>
        }
      />
      <ProblemAlert error={instance.error} onRetry={instance.reload} style={{ marginBottom: 16 }} />
      {instance.loading && !data && <Spin className="ff-block-spin" />}
      {data && (
        <Row gutter={[16, 16]}>
          {data.incidents.length > 0 && (
            <Col xs={24}>
              <Alert
                type="warning"
                showIcon
                data-testid="instance-incidents"
                title={t("instance.incidents")}
                description={
                  <ul className="ff-problem-list">
                    {data.incidents.map((incident) => (
                      <li key={`${incident.elementId}-${incident.at}`}>
                        <span className="ff-mono">{incident.elementId}</span>: {incident.message} (
                        {formatDateTime(incident.at)})
                      </li>
                    ))}
                  </ul>
                }
              />
            </Col>
          )}
          <Col xs={24}>
            <Card className="ff-card" title={t("instance.diagram")}>
              <InstanceDiagram instance={data} />
            </Card>
          </Col>
          <Col xs={24} lg={14}>
            <Card className="ff-card ff-card-fill" title={t("instance.variables")}>
              <Variables instance={data} />
              {data.parentInstanceId && (
                <p className="ff-small ff-instance-parent">
                  <Link to={`/office/instances/${encodeURIComponent(data.parentInstanceId)}`}>
                    {t("instance.parent")}
                  </Link>
                </p>
              )}
            </Card>
          </Col>
          <Col xs={24} lg={10}>
            <Card className="ff-card ff-card-fill" title={t("instance.history")}>
              <HistoryTimeline history={data.history} />
            </Card>
          </Col>
        </Row>
      )}
      <CcModal
        open={cc}
        instanceId={id}
        onClose={() => setCc(false)}
        onDone={(added) => {
          setCc(false);
          message.success(t("instance.ccDone", { count: added }));
        }}
      />
      <CancelModal
        open={cancelling}
        instanceId={id}
        onClose={() => setCancelling(false)}
        onCancelled={() => {
          setCancelling(false);
          message.success(t("instance.cancelled"));
          instance.reload();
        }}
      />
    </div>
  );
}
