import { FlagOutlined } from "@ant-design/icons";
import {
  App,
  Button,
  Col,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
} from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useNavigate } from "react-router";
import { ProblemAlert } from "../../../shared/components/ProblemAlert";
import { useFormSubmit } from "../../../shared/hooks/useFormSubmit";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useT } from "../../../shared/i18n";
import {
  type CreateSupervisionInput,
  createSupervision,
  SUPERVISION_SOURCES,
  type SupervisionSource,
} from "../../../shared/office";
import { DepartmentPicker } from "../documents/DepartmentPicker";

interface CreateValues {
  title: string;
  description: string;
  sourceType: SupervisionSource;
  sourceRef?: string;
  leadDepartmentId: string;
  coDepartmentIds?: string[];
  dueMode: "workingDays" | "date";
  dueAt?: Dayjs;
  dueInWorkingDays?: number;
  reportEveryDays?: number | null;
  remindDays?: number;
}

const DEFAULTS: Partial<CreateValues> = {
  sourceType: "instruction",
  dueMode: "workingDays",
  dueInWorkingDays: 10,
  remindDays: 2,
};

function inputOf(v: CreateValues): CreateSupervisionInput {
  return {
    title: v.title.trim(),
    description: v.description.trim(),
    sourceType: v.sourceType,
    ...(v.sourceRef?.trim() ? { sourceRef: v.sourceRef.trim() } : {}),
    leadDepartmentId: v.leadDepartmentId,
    coDepartmentIds: (v.coDepartmentIds ?? []).filter((id) => id !== v.leadDepartmentId),
    // A date means the end of that day in China.
    ...(v.dueMode === "date" && v.dueAt
      ? { dueAt: `${v.dueAt.format("YYYY-MM-DD")}T23:59:59+08:00` }
      : { dueInWorkingDays: v.dueInWorkingDays ?? 10 }),
    reportEveryDays: v.reportEveryDays ?? null,
    remindDays: v.remindDays ?? 2,
  };
}

/** 新建督办: the item, its lead department and co-owners, deadline and report cycle. */
export function SupervisionCreateDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const mobile = useIsMobile();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<CreateValues>();
  const { busy, error, unmatched, run } = useFormSubmit(form, open);
  const dueMode = Form.useWatch("dueMode", form);

  const submit = (values: CreateValues) =>
    run(async () => {
      const item = await createSupervision(inputOf(values));
      message.success(t("office.sup.created"));
      onClose();
      navigate(`/office/supervision/${encodeURIComponent(item.id)}`);
    });

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={mobile ? "100%" : 560}
      destroyOnHidden
      title={t("office.sup.new")}
    >
      <Form<CreateValues>
        form={form}
        layout="vertical"
        initialValues={DEFAULTS}
        onFinish={(v) => void submit(v)}
        scrollToFirstError
        data-testid="sup-create-drawer"
      >
        <Form.Item
          name="title"
          label={t("office.sup.field.title")}
          rules={[{ required: true, whitespace: true, message: t("field.required") }, { max: 200 }]}
        >
          <Input maxLength={200} data-testid="sup-field-title" />
        </Form.Item>
        <Form.Item
          name="description"
          label={t("office.sup.field.description")}
          rules={[{ required: true, whitespace: true, message: t("field.required") }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 10 }}
            maxLength={5000}
            data-testid="sup-field-description"
          />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={10}>
            <Form.Item name="sourceType" label={t("office.sup.field.source")}>
              <Select
                options={SUPERVISION_SOURCES.map((s) => ({ value: s, label: t(`office.sup.source.${s}`) }))}
                data-testid="sup-field-sourceType"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={14}>
            <Form.Item name="sourceRef" label={t("office.sup.field.sourceRef")}>
              <Input
                maxLength={200}
                placeholder={t("office.sup.sourceRefHint")}
                data-testid="sup-field-sourceRef"
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="leadDepartmentId"
          label={t("office.sup.field.lead")}
          rules={[{ required: true, message: t("field.required") }]}
        >
          <DepartmentPicker testId="sup-field-lead" />
        </Form.Item>
        <Form.Item name="coDepartmentIds" label={t("office.sup.field.co")}>
          <DepartmentPicker multiple testId="sup-field-co" />
        </Form.Item>
        <Form.Item name="dueMode" label={t("office.sup.field.due")}>
          <Radio.Group
            optionType="button"
            options={[
              { value: "workingDays", label: t("office.sup.dueInWorkingDays") },
              { value: "date", label: t("office.sup.dueOnDate") },
            ]}
            data-testid="sup-field-dueMode"
          />
        </Form.Item>
        {dueMode === "date" ? (
          <Form.Item name="dueAt" rules={[{ required: true, message: t("field.required") }]}>
            <DatePicker
              className="ff-full-width"
              inputReadOnly
              disabledDate={(d) => d.isBefore(dayjs(), "day")}
              data-testid="sup-field-dueAt"
            />
          </Form.Item>
        ) : (
          <Form.Item
            name="dueInWorkingDays"
            extra={t("office.sup.workingDaysHint")}
            rules={[{ required: true, message: t("field.required") }]}
          >
            <InputNumber
              min={1}
              max={250}
              precision={0}
              className="ff-full-width"
              suffix={t("office.sup.workingDaysUnit")}
              data-testid="sup-field-dueInWorkingDays"
            />
          </Form.Item>
        )}
        <Space wrap size={16}>
          <Form.Item
            name="reportEveryDays"
            label={t("office.sup.field.reportEvery")}
            extra={t("office.sup.reportEveryHint")}
          >
            <InputNumber
              min={1}
              max={60}
              precision={0}
              suffix={t("office.sup.workingDaysUnit")}
              data-testid="sup-field-reportEveryDays"
            />
          </Form.Item>
          <Form.Item
            name="remindDays"
            label={t("office.sup.field.remind")}
            extra={t("office.sup.remindHint")}
          >
            <InputNumber
              min={0}
              max={30}
              precision={0}
              suffix={t("office.sup.workingDaysUnit")}
              data-testid="sup-field-remindDays"
            />
          </Form.Item>
        </Space>
        <ProblemAlert
          error={error}
          extra={unmatched}
          style={{ marginBottom: 16 }}
          testId="sup-create-error"
        />
        <Space wrap>
          <Button
            type="primary"
            htmlType="submit"
            icon={<FlagOutlined />}
            loading={busy}
            data-testid="sup-create-submit"
          >
            {t("office.sup.create")}
          </Button>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
        </Space>
      </Form>
    </Drawer>
  );
}
