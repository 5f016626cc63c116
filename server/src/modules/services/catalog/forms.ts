import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { FieldError } from "../../../kernel/http/errors";

/**
 * An item's online form is a JSON Schema; the web app renders it and the server validates the same
 * schema here, with messages in Chinese naming the field by its title. Properties bound to master data
 * carry "x-prefill" (the field of the applicant's base) and "x-correctable".
 */
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats.default(ajv);
ajv.addKeyword({ keyword: "x-prefill", schemaType: "string" });
ajv.addKeyword({ keyword: "x-correctable", schemaType: "boolean" });

const compiled = new Map<string, ValidateFunction>();

interface PropertySchema {
  title?: string;
  type?: string;
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
  "x-prefill"?: string;
  "x-correctable"?: boolean;
}

export interface FormSchema {
  type: "object";
  properties: Record<string, PropertySchema>;
  required?: string[];
}

/** Compiles a form (cached by item and version); a schema Ajv refuses throws with its message. */
export function formValidator(key: string, schema: Record<string, unknown>): ValidateFunction {
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    if (compiled.size > 5000) compiled.clear();
    compiled.set(key, validate);
  }
  return validate;
}

/** Why a schema cannot serve as a form, or null when it can. */
export function formProblem(schema: Record<string, unknown>): string | null {
  try {
    ajv.compile(schema);
  } catch (e) {
    return (e as Error).message;
  }
  if (schema.type !== "object" || typeof schema.properties !== "object" || schema.properties === null)
    return "a form is a JSON Schema of type object with properties";
  return null;
}

const FORMATS: Record<string, string> = {
  date: "日期（YYYY-MM-DD）",
  "date-time": "日期时间",
  email: "电子邮箱",
  uri: "网址",
};

function message(error: ErrorObject, title: string): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `请填写${title}`;
    case "type":
      return `${title}的类型不正确`;
    case "pattern":
      return `${title}的格式不正确`;
    case "format":
      return `${title}须为${FORMATS[String(p.format)] ?? "规定格式"}`;
    case "maxLength":
      return `${title}不能超过${p.limit}个字`;
    case "minLength":
      return `${title}至少${p.limit}个字`;
    case "minimum":
      return `${title}不能小于${p.limit}`;
    case "maximum":
      return `${title}不能大于${p.limit}`;
    case "exclusiveMinimum":
      return `${title}须大于${p.limit}`;
    case "exclusiveMaximum":
      return `${title}须小于${p.limit}`;
    case "enum":
    case "const":
      return `${title}须为列出的选项之一`;
    case "additionalProperties":
      return `表单中没有“${String(p.additionalProperty)}”一项`;
    case "minItems":
      return `${title}至少选择${p.limit}项`;
    case "maxItems":
      return `${title}最多选择${p.limit}项`;
    case "uniqueItems":
      return `${title}不能重复`;
    default:
      return `${title}不符合要求`;
  }
}

/** The form's errors for `data`, each naming the field as a JSON pointer under `base`. */
export function formErrors(
  key: string,
  schema: Record<string, unknown>,
  data: unknown,
  base = "/body/data",
): FieldError[] {
  const validate = formValidator(key, schema);
  if (validate(data)) return [];
  const properties = (schema as unknown as FormSchema).properties;
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const error of validate.errors ?? []) {
    const p = error.params as Record<string, unknown>;
    const path =
      error.keyword === "required"
        ? `${error.instancePath}/${String(p.missingProperty)}`
        : error.keyword === "additionalProperties"
          ? `${error.instancePath}/${String(p.additionalProperty)}`
          : error.instancePath;
    const top = path.split("/")[1] ?? "";
    const title = properties[top]?.title ?? top;
    const field = `${base}${path}`;
    if (seen.has(field)) continue; // one message per field is enough for a person to act on
    seen.add(field);
    errors.push({ field, message: message(error, title) });
  }
  return errors;
}

/** Whether one property of the form would accept a value (a pre-filled value the form refuses is not offered). */
export function propertyAccepts(
  key: string,
  schema: Record<string, unknown>,
  property: string,
  value: unknown,
): boolean {
  const properties = (schema as unknown as FormSchema).properties ?? {};
  const spec = properties[property];
  if (!spec) return false;
  return formValidator(`${key}#${property}`, spec as Record<string, unknown>)(value);
}

/** The form's properties bound to master data: property → {field, correctable}. */
export function prefillBindings(
  schema: Record<string, unknown>,
): Map<string, { field: string; correctable: boolean }> {
  const bindings = new Map<string, { field: string; correctable: boolean }>();
  for (const [property, spec] of Object.entries((schema as unknown as FormSchema).properties ?? {})) {
    if (spec["x-prefill"])
      bindings.set(property, { field: spec["x-prefill"], correctable: !!spec["x-correctable"] });
  }
  return bindings;
}
