import { Button, Form, Input, Space } from "antd";
import { useMemo, useState } from "react";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { useT } from "../../shared/i18n";
import { completeTask, type Task, type TaskDetail } from "../../shared/workflow";
import {
  clearFieldErrors,
  type FormValues,
  initialValues,
  NO_PROBLEM,
  SchemaFields,
  type SubmitProblem,
  submitProblem,
  toVariables,
} from "./SchemaFields";

/**
 * Completes a task with its form, rendered from the task's JSON Schema; a task without a form takes
 * an optional comment. Field errors from the server show on their fields.
 */
export function TaskForm({
  task,
  onCompleted,
  onCancel,
}: {
  task: TaskDetail;
  onCompleted: (task: Task) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<SubmitProblem>(NO_PROBLEM);
  const initial = useMemo(() => initialValues(task.form, task.variables), [task]);

  const submit = async (values: FormValues) => {
    setBusy(true);
    setProblem(NO_PROBLEM);
    clearFieldErrors(form);
    try {
      const variables = task.form
        ? toVariables(values, task.form)
        : toVariables({ comment: values.comment }, null);
      onCompleted(await completeTask(task.id, variables));
    } catch (e) {
      setProblem(submitProblem(form, e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={initial}
      onFinish={(v) => void submit(v)}
      data-testid="task-form"
      scrollToFirstError
    >
      {task.form ? (
        <SchemaFields schema={task.form} testIdPrefix="task-field" />
      ) : (
        <>
          <p className="ff-muted">{t("task.completeConfirm")}</p>
          <Form.Item name="comment" label={t("task.comment")}>
            <Input.TextArea
              autoSize={{ minRows: 3, maxRows: 8 }}
              maxLength={2000}
              placeholder={t("task.commentPlaceholder")}
              data-testid="task-field-comment"
            />
          </Form.Item>
        </>
      )}
      <ProblemAlert
        error={problem.error}
        extra={problem.unmatched}
        style={{ marginBottom: 16 }}
        testId="task-form-error"
      />
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="task-form-submit">
          {t("task.submit")}
        </Button>
        <Button onClick={onCancel}>{t("common.cancel")}</Button>
      </Space>
    </Form>
  );
}
