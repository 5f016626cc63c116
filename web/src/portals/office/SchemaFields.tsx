import { DatePicker, Form, Input, InputNumber, Select, Switch } from "antd";
import type { FormInstance, Rule } from "antd/es/form";
import dayjs from "dayjs";
import { ApiError } from "../../shared/api";
import { applyFieldErrors } from "../../shared/errors";
import { type Translate, useT } from "../../shared/i18n";
import type { FormFieldSchema, FormSchema } from "../../shared/workflow";

export type FormValues = Record<string, unknown>;

const DATE_FORMAT = "YYYY-MM-DD";

function isDateField(field: FormFieldSchema): boolean {
  return field.type === "string" && (field.format === "date" || field.format === "date-time");
}

function fieldInput(testId: string, field: FormFieldSchema) {
  // Enumerations carry their labels either as oneOf titles or (camunda:formData) as x-enumNames.
  const names = field["x-enumNames"];
  const choices =
    field.oneOf?.map((o) => ({ value: o.const, label: o.title ?? String(o.const) })) ??
    (names && field.enum
      ? field.enum.map((v, i) => ({ value: v, label: names[i] ?? String(v) }))
      : undefined);
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
    // A check of our own: the validator's would test every value as text, and its message would then
    // call a number, a date or a numeric choice missing.
    const text = (field.type ?? "string") === "string" && !isDateField(field) && !field.enum && !field.oneOf;
    const message = t("field.required");
    rules.push({
      required: true,
      validator: async (_, value: unknown) => {
        const blank =
          value === undefined ||
          value === null ||
          (typeof value === "string" && (text ? value.trim() === "" : value === ""));
        if (blank) throw new Error(message);
      },
    });
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

/**
 * The fields of a task or start form, rendered from its JSON Schema as antd Form.Items named after the
 * schema's properties; each input carries `data-testid="<testIdPrefix>-<name>"`.
 */
export function SchemaFields({ schema, testIdPrefix }: { schema: FormSchema; testIdPrefix: string }) {
  const t = useT();
  const required = new Set(schema.required ?? []);
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([name, field]) => (
        <Form.Item
          key={name}
          name={name}
          label={field.title ?? name}
          extra={field.description}
          rules={fieldRules(field, required.has(name), t)}
          valuePropName={field.type === "boolean" ? "checked" : "value"}
          // An untouched switch means "no": send false rather than nothing.
          {...(field.type === "boolean" ? { initialValue: field.default ?? false } : {})}
        >
          {fieldInput(`${testIdPrefix}-${name}`, field)}
        </Form.Item>
      ))}
    </>
  );
}

/** Form values as the server stores them: dates back to text, empty fields left out. */
export function toVariables(values: FormValues, schema: FormSchema | null): FormValues {
  const fields = schema?.properties ?? {};
  const out: FormValues = {};
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
export function initialValues(schema: FormSchema | null, variables: FormValues = {}): FormValues {
  const out: FormValues = {};
  for (const [name, field] of Object.entries(schema?.properties ?? {})) {
    const value = variables[name] ?? field.default;
    if (value === undefined) continue;
    out[name] = isDateField(field) && typeof value === "string" ? dayjs(value) : value;
  }
  return out;
}

export interface SubmitProblem {
  /** The problem to show above the buttons, or null when every field error found its field. */
  error: unknown;
  /** Field errors that matched no field. */
  unmatched: { field: string; message: string }[];
}

export const NO_PROBLEM: SubmitProblem = { error: null, unmatched: [] };

/** Clears the server's field errors of the last submit, which no edit of those fields has cleared. */
export function clearFieldErrors(form: FormInstance): void {
  const stale = form.getFieldsError().filter((f) => f.errors.length > 0);
  if (stale.length) form.setFields(stale.map((f) => ({ name: f.name, errors: [] })));
}

/**
 * A failed submit of a form whose fields are the request's `variables`: field errors
 * (`/body/variables/<name>`) go onto their fields, the rest is returned for a ProblemAlert.
 */
export function submitProblem(form: FormInstance, error: unknown, t: Translate): SubmitProblem {
  const unmatched = applyFieldErrors(form, error, t, "variables");
  if (error instanceof ApiError && error.errors.length > 0 && unmatched.length === 0)
    return { error: null, unmatched };
  return { error, unmatched };
}
