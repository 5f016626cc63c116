import { type ButtonProps, Form, Input, Modal, Select } from "antd";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { useFormSubmit } from "../../shared/hooks/useFormSubmit";
import { useT } from "../../shared/i18n";
import { cancelInstance, ccInstance, type InstanceSummary } from "../../shared/workflow";

/** 抄送: lets colleagues follow an instance (it appears under their "copied to me"). */
export function CcModal({
  open,
  instanceId,
  onClose,
  onDone,
}: {
  open: boolean;
  instanceId: string;
  onClose: () => void;
  onDone: (added: number) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ usernames: string[] }>();
  const { busy, error, unmatched, run } = useFormSubmit(form, open);
  const submit = (values: { usernames: string[] }) =>
    run(async () => {
      const usernames = [...new Set(values.usernames.map((u) => u.trim()).filter(Boolean))];
      onDone((await ccInstance(instanceId, usernames)).added);
    });

  return (
    <Modal
      open={open}
      title={t("instance.ccTitle")}
      okText={t("instance.cc")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ "data-testid": "instance-cc-submit" } as Record<string, string>}
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item
          name="usernames"
          label={t("instance.ccUsernames")}
          extra={t("instance.ccHint")}
          rules={[{ required: true, message: t("field.required") }]}
        >
          <Select
            mode="tags"
            open={false}
            tokenSeparators={[",", "，", " ", ";"]}
            suffixIcon={null}
            data-testid="instance-cc-usernames"
          />
        </Form.Item>
      </Form>
      <ProblemAlert error={error} extra={unmatched} testId="instance-cc-error" />
    </Modal>
  );
}

/** 撤销: the starter withdraws an instance still running, giving a reason. */
export function CancelModal({
  open,
  instanceId,
  onClose,
  onCancelled,
}: {
  open: boolean;
  instanceId: string;
  onClose: () => void;
  onCancelled: (instance: InstanceSummary) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const { busy, error, unmatched, run } = useFormSubmit(form, open);
  const submit = (values: { reason: string }) =>
    run(async () => onCancelled(await cancelInstance(instanceId, values.reason.trim())));

  return (
    <Modal
      open={open}
      title={t("instance.cancelTitle")}
      okText={t("instance.cancel")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ danger: true, "data-testid": "instance-cancel-submit" } as ButtonProps}
    >
      <p className="ff-muted">{t("instance.cancelWarning")}</p>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item
          name="reason"
          label={t("instance.cancelReason")}
          rules={[{ required: true, whitespace: true, message: t("field.required") }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 6 }}
            maxLength={500}
            data-testid="instance-cancel-reason"
          />
        </Form.Item>
      </Form>
      <ProblemAlert error={error} extra={unmatched} testId="instance-cancel-error" />
    </Modal>
  );
}
