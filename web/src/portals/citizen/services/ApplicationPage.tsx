import { ArrowLeftOutlined, EditOutlined, RollbackOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Input,
  Popconfirm,
  Result,
  Row,
  Skeleton,
  Space,
} from "antd";
import { useRef, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { PageHeader } from "../../../shared/components/PageHeader";
import { formatDateTime } from "../../../shared/format";
import { useRequest } from "../../../shared/hooks/useRequest";
import { type Translate, useT } from "../../../shared/i18n";
import {
  type ApplicationView,
  getApplication,
  getService,
  getServiceForm,
  newIntentKey,
  withdrawApplication,
} from "../../../shared/services";
import {
  ApplicationHistory,
  ApplicationSteps,
  CorrectionList,
  FormDataView,
  MaterialFiles,
} from "./applicationParts";
import { EvaluationForm, ratingName } from "./EvaluationForm";
import { Receipt } from "./Receipt";
import { DeadlineTag, daysText, ServiceProblem, StatusTag, serviceErrorMessage } from "./serviceParts";

/** 审查决定 and its result, or why the application was not accepted. */
export function DecisionCard({
  app,
  resultName,
  t,
}: {
  app: ApplicationView;
  resultName?: string;
  t: Translate;
}) {
  if (app.refusalReason && app.status === "not-accepted") {
    return (
      <Alert
        type="error"
        showIcon
        className="ff-svc-section"
        data-testid="services-refusal"
        title={t("services.status.not-accepted")}
        description={app.refusalReason}
      />
    );
  }
  if (!app.decision) return null;
  return (
    <Card
      title={t("services.decision.title")}
      className="ff-card ff-svc-section"
      data-testid="services-decision"
      data-approved={app.decision.approved ? "true" : "false"}
    >
      <Result
        status={app.decision.approved ? "success" : "warning"}
        title={app.decision.approved ? t("services.decision.approved") : t("services.decision.denied")}
        subTitle={app.decision.opinion}
        className="ff-svc-decision-result"
      />
      <Descriptions column={1} size="small">
        {resultName && app.decision.approved && (
          <Descriptions.Item label={t("services.guide.result")}>{resultName}</Descriptions.Item>
        )}
        <Descriptions.Item label={t("services.decision.at")}>
          {formatDateTime(app.decision.at)}
        </Descriptions.Item>
        {app.decision.by && (
          <Descriptions.Item label={t("services.decision.by")}>{app.decision.by}</Descriptions.Item>
        )}
        <Descriptions.Item label={t("services.decision.delivered")}>
          {app.deliveredAt ? formatDateTime(app.deliveredAt) : t("services.decision.notDelivered")}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function WithdrawButton({ app, onDone }: { app: ApplicationView; onDone: (app: ApplicationView) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const key = useRef(newIntentKey());
  const run = async () => {
    setBusy(true);
    try {
      onDone(await withdrawApplication(app.id, reason.trim() || undefined, key.current));
      message.success(t("services.my.withdrawn"));
    } catch (error) {
      key.current = newIntentKey();
      message.error(serviceErrorMessage(error, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Popconfirm
      title={t("services.my.withdrawConfirm")}
      description={
        <Input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t("services.my.withdrawReason")}
          maxLength={200}
        />
      }
      onConfirm={() => void run()}
      okText={t("common.ok")}
      cancelText={t("common.cancel")}
    >
      <Button icon={<RollbackOutlined />} loading={busy} data-testid="services-withdraw">
        {t("services.my.withdraw")}
      </Button>
    </Popconfirm>
  );
}

/** 办件详情: progress, correction, decision, 好差评, the receipt and what happened. */
export function ApplicationPage() {
  const t = useT();
  const { id = "" } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const app = useRequest((signal) => getApplication(id, signal), [id]);
  const serviceId = app.data?.serviceId;
  const service = useRequest(
    (signal) => (serviceId ? getService(serviceId, signal) : Promise.resolve(null)),
    [serviceId],
  );
  const version = app.data?.serviceVersion;
  const form = useRequest(
    (signal) => (serviceId ? getServiceForm(serviceId, version, signal) : Promise.resolve(null)),
    [serviceId, version],
  );
  const view = app.data;
  const justSubmitted = params.get("submitted") === "1";

  return (
    <div data-testid="services-application">
      <Link to="/citizen/applications" className="ff-svc-back">
        <ArrowLeftOutlined /> {t("services.my.title")}
      </Link>
      <PageHeader
        title={view?.serviceName ?? t("services.my.detail")}
        subtitle={view ? `${t("services.receipt.receiptNo")} ${view.receiptNo}` : undefined}
        extra={
          view && (
            <Space wrap>
              <StatusTag status={view.status} t={t} />
              {view.actions.includes("withdraw") && <WithdrawButton app={view} onDone={app.setData} />}
            </Space>
          )
        }
      />
      <ServiceProblem error={app.error} onRetry={app.reload} />
      {app.loading && !view && <Skeleton active paragraph={{ rows: 10 }} />}
      {view && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={16}>
            {justSubmitted && view.status === "submitted" && (
              <Alert
                type="success"
                showIcon
                className="ff-svc-section"
                data-testid="services-submitted"
                title={t("services.apply.submitted")}
                description={t("services.apply.submittedHint", { no: view.receiptNo })}
              />
            )}
            <Card title={t("services.progress.title")} className="ff-card ff-svc-section">
              <ApplicationSteps app={view} />
              <div className="ff-svc-deadline-line">
                <span className="ff-muted">{t("services.my.deadline")}</span>
                <DeadlineTag deadline={view.deadline} status={view.status} t={t} />
                {view.deadline && (
                  <span className="ff-muted ff-small">
                    {t("services.progress.promised", { days: daysText(view.deadline.promisedDays, t) })}
                  </span>
                )}
              </div>
            </Card>
            {view.status === "draft" && (
              <Alert
                type="info"
                showIcon
                className="ff-svc-section"
                title={t("services.my.draftHint")}
                action={
                  <Button
                    type="primary"
                    icon={<EditOutlined />}
                    onClick={() => navigate(`/citizen/applications/${view.id}/edit`)}
                    data-testid="services-continue"
                  >
                    {t("services.my.continue")}
                  </Button>
                }
              />
            )}
            {view.status === "correction-requested" && view.correction && (
              <Alert
                type="warning"
                showIcon
                className="ff-svc-section"
                data-testid="services-correction"
                title={t("services.correction.title")}
                description={
                  <div>
                    <CorrectionList
                      correction={view.correction}
                      schema={form.data?.schema}
                      materials={view.requiredMaterials}
                    />
                    <div className="ff-muted ff-small">{formatDateTime(view.correction.at)}</div>
                  </div>
                }
                action={
                  view.actions.includes("update") && (
                    <Button
                      type="primary"
                      icon={<EditOutlined />}
                      onClick={() => navigate(`/citizen/applications/${view.id}/edit`)}
                      data-testid="services-correct"
                    >
                      {t("services.correction.go")}
                    </Button>
                  )
                }
              />
            )}
            <DecisionCard
              app={view}
              {...(service.data ? { resultName: service.data.result.name } : {})}
              t={t}
            />
            {view.actions.includes("rate") && (
              <Card title={t("services.evaluation.title")} className="ff-card ff-svc-section">
                <EvaluationForm app={view} onRated={app.setData} />
              </Card>
            )}
            {view.evaluation && (
              <Alert
                type="success"
                showIcon
                className="ff-svc-section"
                data-testid="services-evaluation-done"
                title={t("services.evaluation.done", { rating: ratingName(view.evaluation.rating, t) })}
                description={
                  view.evaluation.default
                    ? t("services.evaluation.default")
                    : formatDateTime(view.evaluation.at)
                }
              />
            )}
            <Card title={t("services.apply.formTitle")} className="ff-card ff-svc-section">
              <FormDataView
                data={view.data}
                schema={form.data?.schema}
                {...(form.data ? { uiSchema: form.data.uiSchema } : {})}
                prefilled={view.prefilled}
              />
            </Card>
            <Card title={t("services.apply.materialsTitle")} className="ff-card ff-svc-section">
              <MaterialFiles applicationId={view.id} materials={view.materials} />
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            {view.submittedAt && (
              <Card title={t("services.receipt.title")} className="ff-card ff-svc-section">
                <Receipt app={view} />
              </Card>
            )}
            <Card title={t("services.history.title")} className="ff-card ff-svc-section">
              <ApplicationHistory history={view.history} />
            </Card>
          </Col>
        </Row>
      )}
    </div>
  );
}
