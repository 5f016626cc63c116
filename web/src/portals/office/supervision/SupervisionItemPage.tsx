import { ArrowLeftOutlined, CommentOutlined, SendOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Progress,
  Row,
  Slider,
  Space,
  Spin,
  Tag,
  Timeline,
} from "antd";
import { useState } from "react";
import { useNavigate, useParams } from "react-router";
import { useMe } from "../../../shared/auth";
import { PageHeader } from "../../../shared/components/PageHeader";
import { ProblemAlert } from "../../../shared/components/ProblemAlert";
import { errorMessage } from "../../../shared/errors";
import { formatDateTime } from "../../../shared/format";
import { useFormSubmit } from "../../../shared/hooks/useFormSubmit";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useRequest } from "../../../shared/hooks/useRequest";
import { useT } from "../../../shared/i18n";
import {
  getSupervision,
  openDiscussion,
  reportSupervision,
  type SupervisionDetail,
} from "../../../shared/office";
import { isWithin, useOrgDepartments } from "../documents/DepartmentPicker";
import { countdownText, LightTag, useWorkingDaysLeft } from "./supParts";

interface ReportValues {
  progress: number;
  text: string;
  completes?: boolean;
}

/** Deadline with what is left of it in working days (kernel calendar, mainland holidays). */
function Countdown({ item }: { item: SupervisionDetail }) {
  const t = useT();
  const left = useWorkingDaysLeft(item.status === "open" ? item.dueAt : null);
  return (
    <span>
      <span className="ff-nowrap">{formatDateTime(item.dueAt).slice(0, 16)}</span>
      {item.status === "open" && typeof left.data === "number" && (
        <Tag
          color={item.light === "red" ? "red" : item.light === "yellow" ? "gold" : "blue"}
          className="ff-sup-countdown"
          data-testid="sup-countdown"
        >
          {countdownText(left.data, item.dueAt, t)}
        </Tag>
      )}
    </span>
  );
}

/** 报送进展: progress, what was done, and (the lead department only) 办结. */
function ReportForm({
  item,
  isLead,
  onReported,
}: {
  item: SupervisionDetail;
  isLead: boolean;
  onReported: (item: SupervisionDetail) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<ReportValues>();
  const { busy, error, unmatched, run } = useFormSubmit(form, true);
  const completes = Form.useWatch("completes", form);
  const submit = (values: ReportValues) =>
    run(async () => {
      onReported(
        await reportSupervision(item.id, {
          progress: values.completes ? 100 : values.progress,
          text: values.text.trim(),
          ...(values.completes ? { completes: true } : {}),
        }),
      );
      form.resetFields();
    });
  return (
    <Form<ReportValues>
      form={form}
      layout="vertical"
      initialValues={{ progress: item.progress, completes: false }}
      onFinish={(v) => void submit(v)}
      data-testid="sup-report-form"
    >
      <Form.Item name="progress" label={t("office.sup.field.progress")}>
        <Slider
          min={0}
          max={100}
          step={5}
          disabled={completes === true}
          marks={{ 0: "0%", 50: "50%", 100: "100%" }}
          tooltip={{ formatter: (v) => `${v ?? 0}%` }}
          data-testid="sup-report-progress"
        />
      </Form.Item>
      <Form.Item
        name="text"
        label={t("office.sup.field.reportText")}
        rules={[{ required: true, whitespace: true, message: t("field.required") }]}
      >
        <Input.TextArea
          autoSize={{ minRows: 3, maxRows: 10 }}
          maxLength={5000}
          placeholder={t("office.sup.reportTextHint")}
          data-testid="sup-report-text"
        />
      </Form.Item>
      {isLead && (
        <Form.Item name="completes" valuePropName="checked" extra={t("office.sup.completeHint")}>
          <Checkbox data-testid="sup-report-complete">{t("office.sup.complete")}</Checkbox>
        </Form.Item>
      )}
      <ProblemAlert error={error} extra={unmatched} style={{ marginBottom: 16 }} testId="sup-report-error" />
      <Button
        type="primary"
        htmlType="submit"
        icon={<SendOutlined />}
        loading={busy}
        data-testid="sup-report-submit"
      >
        {completes ? t("office.sup.submitComplete") : t("office.sup.submitReport")}
      </Button>
    </Form>
  );
}

function Reports({ item }: { item: SupervisionDetail }) {
  const t = useT();
  if (item.reports.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("office.sup.noReports")} />;
  return (
    <Timeline
      className="ff-history"
      data-testid="sup-reports"
      items={item.reports.map((r) => ({
        key: r.id,
        color: r.completes ? "green" : "blue",
        content: (
          <div className="ff-sup-report" data-testid={`sup-report-${r.id}`}>
            <div className="ff-sup-report-head">
              <strong>{r.departmentName}</strong>
              <Tag color={r.completes ? "success" : "processing"}>
                {r.completes ? t("office.sup.completedTag") : `${r.progress}%`}
              </Tag>
            </div>
            <div className="ff-sup-report-text">{r.text}</div>
            <div className="ff-muted ff-small">
              {r.reportedByName} · {formatDateTime(r.createdAt).slice(0, 16)}
            </div>
          </div>
        ),
      }))}
    />
  );
}

/** One supervision item: what, who, by when, how far, its reports, and reporting progress. */
export function SupervisionItemPage() {
  const t = useT();
  const me = useMe();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { id = "" } = useParams();
  const item = useRequest((signal) => getSupervision(id, signal), [id]);
  const departments = useOrgDepartments();
  const [opening, setOpening] = useState(false);
  const data = item.data && item.data.id === id ? item.data : null;

  const mine = me.department?.id ?? null;
  const within = (ancestor: string) => mine !== null && isWithin(departments.data ?? [], mine, ancestor);
  const isLead = data ? within(data.leadDepartmentId) : false;
  const isOwner = data ? isLead || data.coDepartments.some((d) => within(d.id)) : false;

  const discuss = async () => {
    if (!data) return;
    setOpening(true);
    try {
      const room = await openDiscussion({ type: "supervision", id: data.id, title: data.title });
      navigate(`/office/chat/${encodeURIComponent(room.id)}`);
    } catch (e) {
      message.error(errorMessage(e, t));
      setOpening(false);
    }
  };

  return (
    <div data-testid="office-supervision-item">
      <PageHeader
        title={data ? data.title : t("office.sup.detail")}
        subtitle={
          data && (
            <Space wrap size={[8, 4]}>
              <LightTag light={data.light} t={t} />
              {data.escalationLevel > 0 && data.status === "open" && (
                <Tag color="red" data-testid="sup-escalated">
                  {t("office.sup.escalated", { level: data.escalationLevel })}
                </Tag>
              )}
            </Space>
          )
        }
        extra={
          <Space wrap>
            <Button
              icon={<ArrowLeftOutlined />}
              onClick={() => navigate("/office/supervision")}
              data-testid="sup-back"
            >
              {!mobile && t("office.doc.back")}
            </Button>
            {data && (
              <Button
                icon={<CommentOutlined />}
                loading={opening}
                onClick={() => void discuss()}
                data-testid="sup-discuss"
              >
                {t("office.doc.discuss")}
              </Button>
            )}
          </Space>
        }
      />
      <ProblemAlert error={item.error} onRetry={item.reload} style={{ marginBottom: 16 }} />
      {item.loading && !data && <Spin className="ff-block-spin" />}
      {data && (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={14}>
            <Space orientation="vertical" size={16} className="ff-full-width">
              <Card className="ff-card" title={t("office.sup.detail")}>
                <div className="ff-sup-progress" data-testid="sup-progress">
                  <Progress
                    percent={data.progress}
                    status={
                      data.status === "completed" ? "success" : data.light === "red" ? "exception" : "active"
                    }
                  />
                </div>
                <Descriptions
                  size="small"
                  column={mobile ? 1 : 2}
                  bordered
                  className="ff-sup-facts"
                  data-testid="sup-facts"
                >
                  <Descriptions.Item label={t("office.sup.field.due")} span={mobile ? 1 : 2}>
                    <Countdown item={data} />
                  </Descriptions.Item>
                  <Descriptions.Item label={t("office.sup.field.lead")}>
                    {data.leadDepartmentName}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("office.sup.field.co")}>
                    {data.coDepartments.length ? data.coDepartments.map((d) => d.name).join("、") : "—"}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("office.sup.field.source")}>
                    {t(`office.sup.source.${data.sourceType}`)}
                    {data.sourceRef ? ` · ${data.sourceRef}` : ""}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("office.sup.field.reportEvery")}>
                    {data.reportEveryDays ? t("office.sup.everyDays", { days: data.reportEveryDays }) : "—"}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("office.sup.field.createdBy")}>
                    {data.createdBy.name} · {formatDateTime(data.createdAt).slice(0, 16)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t("office.sup.field.lastReport")}>
                    {data.lastReportAt ? formatDateTime(data.lastReportAt).slice(0, 16) : "—"}
                  </Descriptions.Item>
                  {data.completedAt && (
                    <Descriptions.Item label={t("office.sup.field.completedAt")}>
                      {formatDateTime(data.completedAt).slice(0, 16)}
                    </Descriptions.Item>
                  )}
                </Descriptions>
                <div className="ff-sup-description" data-testid="sup-description">
                  {data.description}
                </div>
              </Card>
              {data.status === "open" && (
                <Card className="ff-card" title={t("office.sup.report")}>
                  {isOwner ? (
                    <ReportForm
                      item={data}
                      isLead={isLead}
                      onReported={(updated) => {
                        message.success(
                          updated.status === "completed" ? t("office.sup.closed") : t("office.sup.reported"),
                        );
                        item.setData(updated);
                      }}
                    />
                  ) : (
                    <Alert
                      type="info"
                      showIcon
                      title={departments.loading ? t("common.loading") : t("office.sup.notOwner")}
                      data-testid="sup-not-owner"
                    />
                  )}
                </Card>
              )}
            </Space>
          </Col>
          <Col xs={24} xl={10}>
            <Card className="ff-card ff-card-fill" title={t("office.sup.reports")}>
              <Reports item={data} />
            </Card>
          </Col>
        </Row>
      )}
    </div>
  );
}
