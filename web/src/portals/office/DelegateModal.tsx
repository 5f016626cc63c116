import { Form, Input, Modal } from "antd";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { useFormSubmit } from "../../shared/hooks/useFormSubmit";
import { useT } from "../../shared/i18n";
import { delegateTask, type Task } from "../../shared/workflow";

interface DelegateValues {
  username: string;
  comment?: string;
}

/** 转办: hands an open task to another member of staff, named by username. */
export function DelegateModal({
  task,
  onClose,
  onDelegated,
}: {
  task: Task | null;
  onClose: () => void;
  onDelegated: (task: Task) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<DelegateValues>();
  const { busy, error, unmatched, run } = useFormSubmit(form, task !== null);

  const submit = (values: DelegateValues) =>
    run(async () => {
      if (!task) return;
      onDelegated(await delegateTask(task.id, values.username.trim(), values.comment?.trim() || undefined));
    });

  return (
    <Modal
      open={task !== null}
      title={t("task.delegateTitle", { name: task?.name ?? "" })}
      okText={t("task.delegate")}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ "data-testid": "task-delegate-submit" } as Record<string, string>}
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item
          name="username"
          label={t("task.delegateTo")}
          extra={t("task.delegateHint")}
          rules={[{ required: true, whitespace: true, message: t("field.required") }]}
        >
          <Input autoComplete="off" maxLength={64} data-testid="task-delegate-username" />
        </Form.Item>
        <Form.Item name="comment" label={t("task.comment")}>
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 6 }}
            maxLength={500}
            data-testid="task-delegate-comment"
          />
        </Form.Item>
      </Form>
      <ProblemAlert error={error} extra={unmatched} testId="task-delegate-error" />
    </Modal>
  );
}
