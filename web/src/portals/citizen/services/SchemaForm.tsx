import { EditOutlined, SafetyCertificateOutlined } from "@ant-design/icons";
import RjsfForm, { Templates } from "@rjsf/antd";
import type Form from "@rjsf/core";
import type { ErrorSchema, FieldTemplateProps, RJSFSchema, RJSFValidationError, UiSchema } from "@rjsf/utils";
import { Tag, Tooltip } from "antd";
import { type Ref, useMemo } from "react";
import type { FieldProblem } from "../../../shared/api";
import { localizeFieldMessage } from "../../../shared/errors";
import { type Translate, useT } from "../../../shared/i18n";
import { formValidator } from "./formValidator";

export type FormData = Record<string, unknown>;

interface FormContext {
  /** property → the department that supplied its value */
  prefilled: Record<string, string>;
  /** property → what the clerk asked to correct */
  corrections: Record<string, string>;
}

/**
 * Adds the prefill source ("由区公安分局提供") and a correction note to a top-level field's label; an
 * error takes the place of the field's help text (the antd theme would show the help in red instead).
 */
function FieldTemplate(incoming: FieldTemplateProps) {
  const t = useT();
  const Base = Templates.FieldTemplate as NonNullable<typeof Templates.FieldTemplate>;
  const props = incoming.rawErrors?.length
    ? ({ ...incoming, rawHelp: undefined } as unknown as FieldTemplateProps)
    : incoming;
  const context = props.registry.formContext as FormContext;
  const path = props.fieldPathId.path;
  const name = path.length === 1 ? String(path[0]) : null;
  const department = name ? context.prefilled[name] : undefined;
  const correction = name ? context.corrections[name] : undefined;
  if (!name || (!department && !correction)) return <Base {...props} />;
  const label = (
    <span className="ff-svc-field-label">
      <span>{props.label}</span>
      {department && (
        <Tooltip
          title={props.readonly ? t("services.form.readOnlyHint") : t("services.form.correctableHint")}
        >
          <Tag
            color="blue"
            icon={<SafetyCertificateOutlined />}
            className="ff-svc-source-tag"
            data-testid={`services-prefill-${name}`}
          >
            {t("services.form.suppliedBy", { department })}
          </Tag>
        </Tooltip>
      )}
      {correction && (
        <Tag
          color="orange"
          icon={<EditOutlined />}
          className="ff-svc-source-tag"
          data-testid={`services-correct-${name}`}
        >
          {t("services.form.correct", { note: correction })}
        </Tag>
      )}
    </span>
  );
  return <Base {...props} label={label as unknown as string} />;
}

const TEMPLATES = { FieldTemplate };

/** The subschema at a validation error's property path (".a.b" or "['a-b']"), for its own error text. */
function schemaAt(schema: RJSFSchema, property: string | undefined): Record<string, unknown> | undefined {
  if (!property) return undefined;
  const path = /^[.[]/.test(property) ? property : `.${property}`;
  const names = [...path.matchAll(/\.([^.[\]]+)|\['([^']+)'\]|\[(\d+)\]/g)].map((m) => m[1] ?? m[2] ?? m[3]);
  let node: unknown = schema;
  for (const name of names) {
    const current = node as { properties?: Record<string, unknown>; items?: unknown } | undefined;
    node = /^\d+$/.test(name ?? "") ? current?.items : current?.properties?.[name ?? ""];
    if (!node) return undefined;
  }
  return node as Record<string, unknown>;
}

function ownMessage(own: Record<string, unknown> | undefined, keyword: string): string | undefined {
  const text = own?.errorMessage;
  if (typeof text === "string") return keyword === "required" ? undefined : text;
  if (text && typeof text === "object") {
    const byKeyword = (text as Record<string, unknown>)[keyword];
    return typeof byKeyword === "string" ? byKeyword : undefined;
  }
  return undefined;
}

/** The validator's messages in the user's language; a schema's own `errorMessage` wins. */
export function localizeErrors(errors: RJSFValidationError[], schema: RJSFSchema, t: Translate) {
  return errors.map((error) => {
    const params = (error.params ?? {}) as Record<string, unknown>;
    const keyword = error.name ?? "";
    const own = ownMessage(schemaAt(schema, error.property), keyword);
    const limit = String(params.limit ?? params.comparison ?? "");
    const message =
      own ??
      (() => {
        switch (keyword) {
          case "required":
            return t("services.form.err.required");
          case "minLength":
            return t("services.form.err.minLength", { limit });
          case "maxLength":
            return t("services.form.err.maxLength", { limit });
          case "pattern":
          case "format":
            return t("services.form.err.format");
          case "minimum":
          case "exclusiveMinimum":
            return t("services.form.err.minimum", { limit });
          case "maximum":
          case "exclusiveMaximum":
            return t("services.form.err.maximum", { limit });
          case "enum":
          case "const":
          case "oneOf":
          case "anyOf":
            return t("services.form.err.enum");
          case "type":
            return t("services.form.err.type");
          case "minItems":
            return t("services.form.err.minItems", { limit });
          case "maxItems":
            return t("services.form.err.maxItems", { limit });
          default:
            return error.message ?? t("services.form.err.invalid");
        }
      })();
    return { ...error, message, stack: `${error.property ?? ""} ${message}`.trim() };
  });
}

/**
 * A problem document's field errors as rjsf's error schema: "/body/data/phone" (or "/data/phone") is the
 * form's "phone". The errors that name no form field come back apart, for the alert.
 */
export function errorSchemaFrom(
  problems: FieldProblem[],
  t: Translate,
): { errors: ErrorSchema; unmatched: FieldProblem[] } {
  const errors: ErrorSchema = {};
  const unmatched: FieldProblem[] = [];
  for (const problem of problems) {
    const segments = problem.field.startsWith("/")
      ? problem.field
          .slice(1)
          .split("/")
          .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"))
      : problem.field.split(".");
    const rest = segments[0] === "body" ? segments.slice(1) : segments;
    if (rest[0] !== "data" || rest.length < 2) {
      unmatched.push(problem);
      continue;
    }
    let node = errors as Record<string, unknown>;
    for (const name of rest.slice(1)) {
      node[name] ??= {};
      node = node[name] as Record<string, unknown>;
    }
    const list = (node.__errors as string[] | undefined) ?? [];
    list.push(localizeFieldMessage(problem.message, t));
    node.__errors = list;
  }
  return { errors, unmatched };
}

/** Makes the listed properties read-only in the uiSchema, keeping the item's own hints. */
export function withReadOnly(uiSchema: UiSchema, readOnly: readonly string[]): UiSchema {
  if (readOnly.length === 0) return uiSchema;
  const next: UiSchema = { ...uiSchema };
  for (const name of readOnly)
    next[name] = { ...(uiSchema[name] as object | undefined), "ui:readonly": true };
  return next;
}

interface Props {
  formRef: Ref<Form>;
  schema: RJSFSchema;
  uiSchema: UiSchema;
  data: FormData;
  onChange: (data: FormData, changedField?: string) => void;
  prefilled: Record<string, string>;
  readOnly: readonly string[];
  corrections?: Record<string, string>;
  extraErrors?: ErrorSchema;
  disabled?: boolean;
  liveValidate?: boolean;
  testId?: string;
}

/** The item's online form rendered by react-jsonschema-form's antd theme; our buttons submit it. */
export function SchemaForm(props: Props) {
  const t = useT();
  const { schema, readOnly, uiSchema, prefilled, corrections } = props;
  const ui = useMemo(
    () => ({
      ...withReadOnly(uiSchema, readOnly),
      "ui:submitButtonOptions": { norender: true },
    }),
    [uiSchema, readOnly],
  );
  const context = useMemo<FormContext>(
    () => ({ prefilled, corrections: corrections ?? {} }),
    [prefilled, corrections],
  );
  // The item's title shows in the page header already.
  const shown = useMemo(
    () => ({ ...schema, title: undefined, description: undefined }) as RJSFSchema,
    [schema],
  );
  return (
    <div className="ff-svc-schema-form" data-testid={props.testId ?? "services-form"}>
      <RjsfForm
        ref={props.formRef}
        schema={shown}
        uiSchema={ui}
        formData={props.data}
        validator={formValidator}
        templates={TEMPLATES}
        formContext={context}
        onChange={(e, id) => {
          const name = id?.replace(/^root_/, "").split("_")[0];
          props.onChange((e.formData ?? {}) as FormData, name);
        }}
        transformErrors={(errors) => localizeErrors(errors, schema, t)}
        // The fields show their errors; without a handler rjsf logs them to the console as well.
        onError={() => undefined}
        {...(props.extraErrors ? { extraErrors: props.extraErrors } : {})}
        showErrorList={false}
        noHtml5Validate
        focusOnFirstError
        liveValidate={props.liveValidate ? "onChange" : false}
        disabled={props.disabled ?? false}
      />
    </div>
  );
}
