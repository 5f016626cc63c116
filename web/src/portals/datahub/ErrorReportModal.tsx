import { App, Form, Input, Modal, Select } from "antd";
import { useNavigate } from "react-router";
import { type ResourceView, reportDataError } from "../../shared/datahub";
import { useFormSubmit } from "../../shared/hooks/useFormSubmit";
import { useT } from "../../shared/i18n";
import { DatahubProblem } from "./datahubParts";

interface ReportValues {
  recordKey: string;
  item: string;
  correctValue: string;
  reason: string;
}

/** 数据纠错: a value of one record is wrong; the department responsible for it checks and corrects it. */
export function ErrorReportModal({
  resource,
  open,
  onClose,
}: {
  resource: ResourceView;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReportValues>();
  const { busy, error, unmatched, run } = useFormSubmit(form, open);
  const keyItem = resource.items.find((i) => i.name === resource.keyItem);

  const submit = (values: ReportValues) =>
    run(async () => {
      await reportDataError({
        resourceId: resource.id,
        recordKey: values.recordKey.trim(),
        item: values.item,
        correctValue: values.correctValue.trim(),
        reason: values.reason.trim(),
      });
      message.success(t("datahub.errors.submitted"));
      onClose();
      navigate("/datahub/error-reports");
    });

  return (
    <Modal
      open={open}
      title={t("datahub.errors.formTitle", { name: resource.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("datahub.errors.submit")}
      cancelText={t("common.cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "error-report-submit" } as Record<string, string>}
      destroyOnHidden
    >
      <Form<ReportValues>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        data-testid="error-report-form"
      >
        <Form.Item
          name="recordKey"
          label={keyItem ? `${keyItem.title} (${keyItem.name})` : t("datahub.errors.recordKey")}
          extra={t("datahub.errors.recordKeyHint")}
          rules={[{ required: true, whitespace: true, message: t("field.required") }]}
        >
          <Input maxLength={64} className="ff-mono" data-testid="error-report-record-key" />
        </Form.Item>
        <Form.Item
          name="item"
          label={t("datahub.errors.item")}
          rules={[{ required: true, message: t("field.required") }]}
        >
          <Select
            showSearch={{ optionFilterProp: "label" }}
            options={resource.items
              .filter((i) => i.name !== resource.keyItem)
              .map((i) => ({ value: i.name, label: `${i.title} (${i.name})` }))}
            data-testid="error-report-item"
          />
        </Form.Item>
        <Form.Item
          name="correctValue"
          label={t("datahub.errors.correctValue")}
          rules={[{ required: true, whitespace: true, message: t("field.required") }]}
        >
          <Input maxLength={1000} data-testid="error-report-value" />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t("datahub.errors.reason")}
          extra={t("datahub.errors.reasonHint")}
          rules={[{ required: true, whitespace: true, message: t("field.required") }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 6 }}
            maxLength={2000}
            data-testid="error-report-reason"
          />
        </Form.Item>
        <DatahubProblem error={error} extra={unmatched} testId="error-report-error" />
      </Form>
    </Modal>
  );
}
