import { ArrowLeftOutlined, CheckSquareOutlined, RollbackOutlined, WarningOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Col, Descriptions, Empty, Row, Space, Spin, Tag, Timeline } from "antd";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { PageHeader } from "../../shared/components/PageHeader";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import {
  disputeSharingRequest,
  getResource,
  getSharingRequest,
  HISTORY_OUTCOMES,
  OPEN_REQUEST_STATUSES,
  type RequestView,
  withdrawSharingRequest,
} from "../../shared/datahub";
import { errorMessage } from "../../shared/errors";
import { formatDateTime, formatNumber } from "../../shared/format";
import { useIsMobile } from "../../shared/hooks/useMediaQuery";
import { useRequest } from "../../shared/hooks/useRequest";
import { type Translate, useLocale, useT } from "../../shared/i18n";
import { isWithin, useOrgDepartments } from "../office/documents/DepartmentPicker";
import { RequestFlags, RequestStatusTag, useDatahubRoles } from "./datahubParts";
import { ReasonModal } from "./ReasonModal";

function outcomeText(outcome: string, t: Translate): string {
  return (HISTORY_OUTCOMES as readonly string[]).includes(outcome)
    ? t(`datahub.request.outcome.${outcome as (typeof HISTORY_OUTCOMES)[number]}`)
    : outcome;
}

/** The items asked for, by their titles when the resource is at hand; those asked in clear are marked. */
function Fields({ request }: { request: RequestView }) {
  const t = useT();
  const resource = useRequest((signal) => getResource(request.resourceId, signal), [request.resourceId]);
  const titles = new Map((resource.data?.items ?? []).map((i) => [i.name, i.title]));
  return (
    <span className="ff-tag-wrap" data-testid="request-fields">
      {request.fields.map((name) => (
        <Tag key={name} color={request.clearFields.includes(name) ? "volcano" : "default"}>
          {titles.get(name) ?? name}
          {request.clearFields.includes(name) && ` · ${t("datahub.request.clear")}`}
        </Tag>
      ))}
    </span>
  );
}

function History({ request }: { request: RequestView }) {
  const t = useT();
  if (request.history.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("datahub.request.noHistory")} />;
  const entries = [...request.history].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <Timeline
      className="ff-history"
      data-testid="request-history"
      items={entries.map((h, i) => ({
        key: `${h.at}-${i}`,
        content: (
          <div className="ff-history-item">
            <div>
              <strong>{h.step}</strong> <span className="ff-muted">{outcomeText(h.outcome, t)}</span>
            </div>
            {h.comment && <div className="ff-request-comment">{h.comment}</div>}
            <div className="ff-muted ff-small">
              {h.actor ? `${h.actor} · ` : ""}
              {formatDateTime(h.at).slice(0, 16)}
            </div>
          </div>
        ),
      }))}
    />
  );
}

/** One sharing request: where it stands, why it was refused, and what its department can still do. */
export function RequestPage() {
  const t = useT();
  const mobile = useIsMobile();
  const locale = useLocale();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const { departmentId, userId, bureau } = useDatahubRoles();
  const { id = "" } = useParams();
  const request = useRequest((signal) => getSharingRequest(id, signal), [id]);
  const [disputing, setDisputing] = useState(false);
  const data = request.data && request.data.id === id ? request.data : null;

  const departments = useOrgDepartments();
  // The consumer is a unit (bureau or sub-district); its sections' staff act for it too.
  const mine =
    data !== null &&
    departmentId !== null &&
    isWithin(departments.data ?? [], departmentId, data.consumerDepartmentId);
  const open = data !== null && OPEN_REQUEST_STATUSES.includes(data.status);
  const mayWithdraw = data !== null && open && (data.requesterId === userId || bureau);

  const withdraw = () => {
    if (!data) return;
    modal.confirm({
      title: t("datahub.request.withdrawTitle"),
      content: t("datahub.request.withdrawText"),
      okText: t("datahub.request.withdraw"),
      okButtonProps: { danger: true },
      cancelText: t("common.cancel"),
      onOk: async () => {
        try {
          await withdrawSharingRequest(data.id);
          request.reload();
          message.success(t("datahub.request.withdrawn"));
        } catch (e) {
          message.error(errorMessage(e, t));
        }
      },
    });
  };

  return (
    <div data-testid="datahub-request">
      <PageHeader
        title={data ? data.resourceName : t("datahub.request.detail")}
        subtitle={
          data && (
            <Space wrap size={[8, 4]}>
              <RequestStatusTag status={data.status} t={t} />
              <RequestFlags request={data} t={t} />
              <span className="ff-mono">{data.resourceCode}</span>
            </Space>
          )
        }
        extra={
          <Space wrap>
            <Button
              icon={<ArrowLeftOutlined />}
              onClick={() => navigate("/datahub/requests")}
              data-testid="request-back"
            >
              {!mobile && t("datahub.back")}
            </Button>
            {data?.openTaskId && (
              <Button
                type="primary"
                icon={<CheckSquareOutlined />}
                onClick={() => navigate(`/office/tasks?task=${encodeURIComponent(data.openTaskId ?? "")}`)}
                data-testid="request-task-link"
              >
                {t("datahub.request.goToTask")}
              </Button>
            )}
            {data && mine && data.status === "refused" && (
              <Button
                icon={<WarningOutlined />}
                onClick={() => setDisputing(true)}
                data-testid="request-dispute"
              >
                {t("datahub.request.dispute")}
              </Button>
            )}
            {mayWithdraw && (
              <Button danger icon={<RollbackOutlined />} onClick={withdraw} data-testid="request-withdraw">
                {t("datahub.request.withdraw")}
              </Button>
            )}
          </Space>
        }
      />
      <ProblemAlert error={request.error} onRetry={request.reload} style={{ marginBottom: 16 }} />
      {request.loading && !data && <Spin className="ff-block-spin" />}
      {data && (
        <>
          {data.refusal && (
            <Alert
              type="error"
              showIcon
              className="ff-resource-alert"
              title={t("datahub.request.refusedBy", { by: data.refusal.by })}
              description={
                <>
                  <div className="ff-request-comment">{data.refusal.reason}</div>
                  <div className="ff-muted ff-small">{formatDateTime(data.refusal.at).slice(0, 16)}</div>
                </>
              }
              data-testid="request-refusal"
            />
          )}
          {data.dispute && (
            <Alert
              type="warning"
              showIcon
              className="ff-resource-alert"
              title={t("datahub.request.disputed")}
              description={
                <>
                  <div className="ff-request-comment">{data.dispute.reason}</div>
                  <div className="ff-muted ff-small">{formatDateTime(data.dispute.at).slice(0, 16)}</div>
                </>
              }
              data-testid="request-dispute-shown"
            />
          )}
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={15}>
              <Card className="ff-card" title={t("datahub.request.detail")}>
                <Descriptions size="small" bordered column={1} data-testid="request-facts">
                  <Descriptions.Item label={t("datahub.request.resource")}>
                    <Link to={`/datahub/catalog/${encodeURIComponent(data.resourceId)}`}>
                      {data.resourceName}
                    </Link>
                  </Descriptions.Item>
                  <Descriptions.Item label={t("datahub.request.provider")}>
                    {data.providerDepartmentName}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("datahub.request.consumer")}>
                    {data.consumerDepartmentName} · {data.requesterName}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("datahub.request.fields")}>
                    <Fields request={data} />
                  </Descriptions.Item>
                  <Descriptions.Item label={t("datahub.request.purposeCode")}>
                    <span className="ff-mono">{data.purposeCode}</span>
                  </Descriptions.Item>
                  <Descriptions.Item label={t("datahub.request.purpose")}>{data.purpose}</Descriptions.Item>
                  <Descriptions.Item label={t("datahub.request.legalBasis")}>
                    {data.legalBasis}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("datahub.request.period")}>
                    {data.periodFrom} ~ {data.periodTo}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("datahub.request.volume")}>
                    {formatNumber(data.expectedDailyVolume, locale)} {t("datahub.request.volumeUnit")}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("datahub.request.createdAt")}>
                    {formatDateTime(data.createdAt).slice(0, 16)}
                  </Descriptions.Item>
                  {data.dueAt && open && (
                    <Descriptions.Item label={t("datahub.request.dueAt")}>
                      {formatDateTime(data.dueAt).slice(0, 16)}
                    </Descriptions.Item>
                  )}
                  {data.decidedAt && (
                    <Descriptions.Item label={t("datahub.request.decidedAt")}>
                      {formatDateTime(data.decidedAt).slice(0, 16)}
                    </Descriptions.Item>
                  )}
                  {data.grantId && (
                    <Descriptions.Item label={t("datahub.request.grant")}>
                      <Link to="/datahub/grants" data-testid="request-grant-link">
                        {t("datahub.request.grantLink")}
                      </Link>
                    </Descriptions.Item>
                  )}
                </Descriptions>
              </Card>
            </Col>
            <Col xs={24} xl={9}>
              <Card className="ff-card ff-card-fill" title={t("datahub.request.history")}>
                <History request={data} />
              </Card>
            </Col>
          </Row>
          <ReasonModal
            open={disputing}
            title={t("datahub.request.disputeTitle")}
            text={t("datahub.request.disputeHint")}
            label={t("datahub.request.disputeReason")}
            okText={t("datahub.request.disputeSubmit")}
            maxLength={2000}
            testId="request-dispute"
            onClose={() => setDisputing(false)}
            onSubmit={async (reason) => {
              await disputeSharingRequest(data.id, reason);
              setDisputing(false);
              message.success(t("datahub.request.disputeSent"));
              request.reload();
            }}
          />
        </>
      )}
    </div>
  );
}
