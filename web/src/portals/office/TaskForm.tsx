import { Button, DatePicker, Form, Input, InputNumber, Select, Space, Switch } from "antd";
import type { Rule } from "antd/es/form";
import dayjs from "dayjs";
import { useMemo, useState } from "react";
import { ApiError } from "../../shared/api";
import { ProblemAlert } from "../../shared/components/ProblemAlert";
import { applyFieldErrors } from "../../shared/errors";
import { type Translate, useT } from "../../shared/i18n";
import { completeTask, type FormFieldSchema, type Task, type TaskDetail } from "../../shared/workflow";

type Values = Record<string, unknown>;

const DATE_FORMAT = "YYYY-MM-DD";

function isDateField(field: FormFieldSchema): boolean {
  return field.type === "string" && (field.format === "date" || field.format === "date-time");
}

function fieldInput(name: string, field: FormFieldSchema) {
  const testId = `task-field-${name}`;
  const choices = field.oneOf?.map((o) => ({ value: o.const, label: o.title ?? String(o.const) }));
  switch (field.type) {
    case "boolean":
      return <Switch data-testid={testId} />;
    case "number":
    case "integer":
      return (
        <InputNumber
          className="ff-full-width"
          min={field.minimum}
          max={field.maximum}
          precision={field.type === "integer" ? 0 : undefined}
          data-testid={testId}
        />
      );
    default:
      if (field.enum || choices) {
        return (
          <Select
            allowClear
            options={choices ?? field.enum?.map((v) => ({ value: v, label: String(v) }))}
            data-testid={testId}
          />
        );
      }
      if (isDateField(field)) {
        return (
          <DatePicker
            className="ff-full-width"
            showTime={field.format === "date-time"}
            inputReadOnly
            data-testid={testId}
          />
        );
      }
      if ((field.maxLength ?? 0) > 200) {
        return (
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={field.maxLength}
            data-testid={testId}
          />
        );
      }
      return <Input maxLength={field.maxLength} data-testid={testId} />;
  }
}

function fieldRules(field: FormFieldSchema, required: boolean, t: Translate): Rule[] {
  const rules: Rule[] = [];
  // A switch always has a value; "required" on a boolean means nothing to the user.
  if (required && field.type !== "boolean") {
    rules.push({ required: true, whitespace: field.type === "string", message: t("field.required") });
  }
  if (field.type === "string" && field.minLength)
    rules.push({ min: field.minLength, message: t("field.tooShort") });
  const pattern = field.type === "string" && !field.enum ? patternOf(field.pattern) : null;
  if (pattern) rules.push({ pattern, message: t("field.invalidFormat") });
  return rules;
}

/** JSON Schema patterns are ECMA-262 regular expressions; one this browser cannot read is left to the server. */
function patternOf(source: string | undefined): RegExp | null {
  if (!source) return null;
  try {
    return new RegExp(source, "u");
  } catch {
    return null;
  }
}

/** Form values as the server stores them: dates back to text, empty fields left out. */
function toVariables(values: Values, fields: Record<string, FormFieldSchema>): Values {
  const out: Values = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === null || value === "") continue;
    const field = fields[name];
    if (dayjs.isDayjs(value)) {
      out[name] = field?.format === "date-time" ? value.toISOString() : value.format(DATE_FORMAT);
    } else out[name] = value;
  }
  return out;
}

/** Current variables (or the schema's defaults) as form values. */
function initialValues(fields: Record<string, FormFieldSchema>, variables: Values): Values {
  const out: Values = {};
  for (const [name, field] of Object.entries(fields)) {
    const value = variables[name] ?? field.default;
    if (value === undefined) continue;
    out[name] = isDateField(field) && typeof value === "string" ? dayjs(value) : value;
  }
  return out;
}

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
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [unmatched, setUnmatched] = useState<{ field: string; message: string }[]>([]);
  const fields = task.form?.properties ?? {};
  const required = new Set(task.form?.required ?? []);
  const initial = useMemo(() => initialValues(task.form?.properties ?? {}, task.variables), [task]);

  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    setUnmatched([]);
    try {
      const variables = task.form
        ? toVariables(values, fields)
        : toVariables({ comment: values.comment }, {});
      onCompleted(await completeTask(task.id, variables));
    } catch (e) {
      const rest = applyFieldErrors(form, e, t, "variables");
      if (!(e instanceof ApiError && e.errors.length > 0 && rest.length === 0)) {
        setError(e);
        setUnmatched(rest);
      }
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
        Object.entries(fields).map(([name, field]) => (
          <Form.Item
            key={name}
            name={name}
            label={field.title ?? name}
            extra={field.description}
            rules={fieldRules(field, required.has(name), t)}
            valuePropName={field.type === "boolean" ? "checked" : "value"}
          >
            {fieldInput(name, field)}
          </Form.Item>
        ))
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
      <ProblemAlert error={error} extra={unmatched} style={{ marginBottom: 16 }} testId="task-form-error" />
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="task-form-submit">
          {t("task.submit")}
        </Button>
        <Button onClick={onCancel}>{t("common.cancel")}</Button>
      </Space>
    </Form>
  );
}
