import { ArrowLeftOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Col, Descriptions, Empty, Row, Skeleton, Space } from "antd";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { PageHeader } from "../../../shared/components/PageHeader";
import { formatDateTime } from "../../../shared/format";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { useT } from "../../../shared/i18n";
import { getApplication, getService, getServiceForm } from "../../../shared/services";
import { DecisionCard } from "../../citizen/services/ApplicationPage";
import {
  ApplicationHistory,
  ApplicationSteps,
  CorrectionList,
  FormDataView,
  MaterialFiles,
} from "../../citizen/services/applicationParts";
import { ratingName } from "../../citizen/services/EvaluationForm";
import {
  ApplicantText,
  DeadlineTag,
  daysText,
  ServiceProblem,
  StatusTag,
} from "../../citizen/services/serviceParts";
import { DESK_ACTIONS, type DeskAction, DeskActionModal } from "./DeskActions";

/** 办件 at the desk: what was asked, the materials, the clock, and the actions the procedure allows now. */
export function DeskApplicationPage() {
  const t = useT();
  const { id = "" } = useParams();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const app = useRequest((signal) => getApplication(id, signal), [id]);
  const serviceId = app.data?.serviceId;
  const version = app.data?.serviceVersion;
  const form = useRequest(
    (signal) => (serviceId ? getServiceForm(serviceId, version, signal) : Promise.resolve(null)),
    [serviceId, version],
  );
  const service = useRequest(
    (signal) => (serviceId ? getService(serviceId, signal) : Promise.resolve(null)),
    [serviceId],
  );
  const [action, setAction] = useState<DeskAction | null>(null);
  const view = app.data;
  const allowed = DESK_ACTIONS.filter((a) => view?.actions.includes(a));

  return (
    <div data-testid="services-desk-application" data-status={view?.status}>
      <Link to="/office/services/desk" className="ff-svc-back">
        <ArrowLeftOutlined /> {t("services.desk.title")}
      </Link>
      <PageHeader
        title={view?.serviceName ?? t("services.my.detail")}
        subtitle={view ? `${t("services.receipt.receiptNo")} ${view.receiptNo}` : undefined}
        extra={view && <StatusTag status={view.status} t={t} />}
      />
      <ServiceProblem error={app.error} onRetry={app.reload} />
      {app.loading && !view && <Skeleton active paragraph={{ rows: 10 }} />}
      {view && (
        <>
          <Card className="ff-card ff-svc-section" size="small">
            <div className="ff-svc-desk-actions" data-testid="services-desk-actions">
              {allowed.length === 0 && <span className="ff-muted">{t("services.desk.noActions")}</span>}
              <Space wrap>
                {allowed.map((a) => (
                  <Button
                    key={a}
                    type={["accept", "decide", "deliver"].includes(a) ? "primary" : "default"}
                    danger={a === "reject"}
                    onClick={() => setAction(a)}
                    data-testid={`services-action-${a}`}
                  >
                    {t(`services.action.${a}`)}
                  </Button>
                ))}
              </Space>
            </div>
          </Card>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={16}>
              <Card title={t("services.progress.title")} className="ff-card ff-svc-section">
                <ApplicationSteps app={view} />
              </Card>
              <DecisionCard
                app={view}
                {...(service.data ? { resultName: service.data.result.name } : {})}
                t={t}
              />
              {view.correction && view.status === "correction-requested" && (
                <Alert
                  type="warning"
                  showIcon
                  className="ff-svc-section"
                  title={t("services.correction.title")}
                  description={
                    <CorrectionList
                      correction={view.correction}
                      schema={form.data?.schema}
                      materials={view.requiredMaterials}
                    />
                  }
                />
              )}
              <Card title={t("services.desk.applicantInfo")} className="ff-card ff-svc-section">
                <Descriptions column={mobile ? 1 : 2} size="small">
                  <Descriptions.Item label={t("services.desk.applicant")}>
                    <ApplicantText app={view} />
                  </Descriptions.Item>
                  <Descriptions.Item label={t("services.desk.applicantKind")}>
                    {view.applicant.kind === "legal" || view.applicant.kind === "enterprise"
                      ? t("services.applicant.legal")
                      : t("services.applicant.person")}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("services.desk.channel")}>
                    {["web", "mobile", "kiosk", "window"].includes(view.channel)
                      ? t(`services.channel.${view.channel as "web" | "mobile" | "kiosk" | "window"}`)
                      : view.channel}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("services.my.submittedAt")}>
                    {formatDateTime(view.submittedAt)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("services.guide.version")}>
                    v{view.serviceVersion}
                  </Descriptions.Item>
                  {view.evaluation && (
                    <Descriptions.Item label={t("services.evaluation.title")}>
                      {ratingName(view.evaluation.rating, t)}
                    </Descriptions.Item>
                  )}
                </Descriptions>
              </Card>
              <Card title={t("services.apply.formTitle")} className="ff-card ff-svc-section">
                <FormDataView
                  data={view.data}
                  schema={form.data?.schema}
                  {...(form.data ? { uiSchema: form.data.uiSchema } : {})}
                  prefilled={view.prefilled}
                />
              </Card>
              <Card title={t("services.apply.materialsTitle")} className="ff-card ff-svc-section">
                {view.requiredMaterials.some((m) => m.mandatory && !m.uploaded) && (
                  <Alert
                    type="warning"
                    showIcon
                    className="ff-svc-section"
                    title={t("services.apply.missingMaterials", {
                      names: view.requiredMaterials
                        .filter((m) => m.mandatory && !m.uploaded)
                        .map((m) => m.name)
                        .join("、"),
                    })}
                  />
                )}
                <MaterialFiles applicationId={view.id} materials={view.materials} />
              </Card>
            </Col>
            <Col xs={24} lg={8}>
              <Card
                title={t("services.desk.clock")}
                className="ff-card ff-svc-section"
                data-testid="services-desk-clock"
              >
                {view.deadline ? (
                  <Descriptions column={1} size="small">
                    <Descriptions.Item label={t("services.my.deadline")}>
                      <DeadlineTag deadline={view.deadline} status={view.status} t={t} />
                    </Descriptions.Item>
                    <Descriptions.Item label={t("services.guide.promised")}>
                      {daysText(view.deadline.promisedDays, t)}
                    </Descriptions.Item>
                    <Descriptions.Item label={t("services.guide.statutory")}>
                      {daysText(view.deadline.statutoryDays, t)}
                    </Descriptions.Item>
                    <Descriptions.Item label={t("services.receipt.dueAt")}>
                      {formatDateTime(view.deadline.dueAt).slice(0, 16)}
                    </Descriptions.Item>
                    <Descriptions.Item label={t("services.desk.elapsed")}>
                      {t("services.days.working", { days: view.deadline.elapsedDays })}
                    </Descriptions.Item>
                    {view.deadline.paused && view.deadline.pauseReason && (
                      <Descriptions.Item label={t("services.deadline.paused")}>
                        {view.deadline.pauseReason}
                      </Descriptions.Item>
                    )}
                  </Descriptions>
                ) : (
                  <span className="ff-muted">{t("services.receipt.afterAcceptance")}</span>
                )}
              </Card>
              <Card title={t("services.guide.specialSteps")} className="ff-card ff-svc-section">
                {view.specialSteps.length === 0 ? (
                  <Empty
                    image={Empty.PRESENTED_IMAGE_SIMPLE}
                    description={t("services.guide.noSpecialSteps")}
                  />
                ) : (
                  <ul className="ff-svc-list" data-testid="services-special-steps">
                    {view.specialSteps.map((s) => (
                      <li key={s.id}>
                        <strong>{s.name}</strong> · {s.reason}
                        <div className="ff-muted ff-small">
                          {formatDateTime(s.startedAt).slice(0, 16)} →{" "}
                          {s.finishedAt
                            ? formatDateTime(s.finishedAt).slice(0, 16)
                            : t("services.desk.running")}
                        </div>
                        {s.result && <div className="ff-small">{s.result}</div>}
                      </li>
                    ))}
                  </ul>
                )}
              </Card>
              <Card title={t("services.history.title")} className="ff-card ff-svc-section">
                <ApplicationHistory history={view.history} />
              </Card>
            </Col>
          </Row>
          <DeskActionModal
            action={action}
            app={view}
            schema={form.data?.schema}
            specialSteps={service.data?.specialSteps ?? []}
            onClose={() => setAction(null)}
            onDone={(next) => {
              const done = action;
              setAction(null);
              app.setData(next);
              if (done) message.success(t("services.desk.done", { action: t(`services.action.${done}`) }));
            }}
          />
        </>
      )}
    </div>
  );
}
