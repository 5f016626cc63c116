import { Form, Input, Modal } from "antd";
import type { ReactNode } from "react";
import { useFormSubmit } from "../../shared/hooks/useFormSubmit";
import { useT } from "../../shared/i18n";
import { DatahubProblem } from "./datahubParts";

/**
 * An action that must say why (撤销发布, 撤销授权, 提出异议): a dialog asking for the reason. Its parts are
 * `<testId>-form`, `<testId>-reason`, `<testId>-submit` and `<testId>-error`.
 */
export function ReasonModal({
  open,
  title,
  text,
  label,
  okText,
  danger = false,
  maxLength,
  testId,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: ReactNode;
  text?: ReactNode;
  label: string;
  okText: string;
  danger?: boolean;
  maxLength: number;
  testId: string;
  /** Runs the action; a problem it throws is shown in the dialog. */
  onSubmit: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const { busy, error, unmatched, run } = useFormSubmit(form, open);
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ danger, ...({ "data-testid": `${testId}-submit` } as Record<string, string>) }}
    >
      {text && <p className="ff-muted">{text}</p>}
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void run(() => onSubmit(v.reason.trim()))}
        data-testid={`${testId}-form`}
      >
        <Form.Item
          name="reason"
          label={label}
          rules={[{ required: true, whitespace: true, message: t("field.required") }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={maxLength}
            data-testid={`${testId}-reason`}
          />
        </Form.Item>
        <DatahubProblem error={error} extra={unmatched} testId={`${testId}-error`} />
      </Form>
    </Modal>
  );
}
