/**
 * A JSON Schema validator for react-jsonschema-form that interprets the schema instead of compiling it.
 * The platform's Content-Security-Policy (script-src 'self', no 'unsafe-eval') forbids the code generation
 * Ajv relies on, so @rjsf/validator-ajv8 cannot run in the browser here; the server validates every
 * submission with the item's schema again, so this one only has to give the applicant early, exact
 * feedback on the keywords the catalog's forms use (draft 2020-12). Unknown keywords — the catalog's own
 * `x-prefill`, `x-correctable`, `errorMessage` — are ignored, as a JSON Schema validator must.
 */
import {
  type CustomValidator,
  createErrorHandler,
  type ErrorSchema,
  type ErrorTransformer,
  getDefaultFormState,
  type RJSFSchema,
  type RJSFValidationError,
  toErrorSchema,
  type UiSchema,
  unwrapErrorHandler,
  type ValidationData,
  type ValidatorType,
  validationDataMerge,
} from "@rjsf/utils";

type Schema = Record<string, unknown> | boolean;
type Json = unknown;

/** One failed keyword, in the shape Ajv reports (rjsf's error transformers expect it). */
export interface RawError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message: string;
}

const FORMATS: Record<string, RegExp> = {
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  time: /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/,
  "date-time": /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|z|[+-]\d{2}:\d{2})?$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uri: /^[a-zA-Z][a-zA-Z\d+\-.]*:[^\s]*$/,
  ipv4: /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$/,
  "data-url": /^data:([a-z]+\/[a-z0-9-+.]+)?;(?:name=(.*);)?base64,(.*)$/,
};

const patterns = new Map<string, RegExp | null>();
function regex(source: string): RegExp | null {
  if (!patterns.has(source)) {
    try {
      patterns.set(source, new RegExp(source, "u"));
    } catch {
      patterns.set(source, null);
    }
  }
  return patterns.get(source) ?? null;
}

function typeOf(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function hasType(value: Json, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

function equal(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((k) => equal((a as Record<string, Json>)[k], (b as Record<string, Json>)[k]))
  );
}

const pointer = (path: readonly (string | number)[]) =>
  path.map((p) => `/${String(p).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");

/** A local reference ("#/$defs/x", or rjsf's "__rjsf_rootSchema#/…") resolved against the root. */
function resolveRef(ref: string, root: Schema): Schema | undefined {
  const hash = ref.indexOf("#");
  if (hash < 0) return undefined;
  let node: unknown = root;
  for (const part of ref
    .slice(hash + 1)
    .split("/")
    .filter(Boolean)) {
    const key = decodeURIComponent(part).replaceAll("~1", "/").replaceAll("~0", "~");
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  return node as Schema | undefined;
}

interface Context {
  root: Schema;
  errors: RawError[];
  depth: number;
}

function check(schema: Schema, value: Json, path: (string | number)[], at: string, ctx: Context): void {
  if (schema === true || schema === undefined) return;
  const fail = (keyword: string, params: Record<string, unknown>, message: string, where = path) =>
    ctx.errors.push({
      keyword,
      instancePath: pointer(where),
      schemaPath: `${at}/${keyword}`,
      params,
      message,
    });
  if (schema === false) {
    fail("false schema", {}, "boolean schema is false");
    return;
  }
  if (ctx.depth > 64) return;
  const s = schema as Record<string, unknown>;
  const sub = (child: unknown, v: Json, p: (string | number)[], where: string) => {
    ctx.depth += 1;
    check(child as Schema, v, p, where, ctx);
    ctx.depth -= 1;
  };
  /** Whether a subschema holds, without reporting its errors. */
  const holds = (child: unknown, where: string) => {
    const inner: Context = { root: ctx.root, errors: [], depth: ctx.depth + 1 };
    check(child as Schema, value, path, where, inner);
    return inner.errors.length === 0;
  };

  if (typeof s.$ref === "string") {
    const target = resolveRef(s.$ref, ctx.root);
    if (target !== undefined) sub(target, value, path, `${at}/$ref`);
  }
  if (Array.isArray(s.allOf)) for (const [i, c] of s.allOf.entries()) sub(c, value, path, `${at}/allOf/${i}`);
  if (Array.isArray(s.anyOf) && !s.anyOf.some((c, i) => holds(c, `${at}/anyOf/${i}`)))
    fail("anyOf", {}, "must match a schema in anyOf");
  if (Array.isArray(s.oneOf)) {
    const passing = s.oneOf.filter((c, i) => holds(c, `${at}/oneOf/${i}`)).length;
    if (passing !== 1) fail("oneOf", { passingSchemas: passing }, "must match exactly one schema in oneOf");
  }
  if (s.not !== undefined && holds(s.not, `${at}/not`)) fail("not", {}, "must NOT be valid");
  if (s.if !== undefined) {
    if (holds(s.if, `${at}/if`)) {
      if (s.then !== undefined) sub(s.then, value, path, `${at}/then`);
    } else if (s.else !== undefined) sub(s.else, value, path, `${at}/else`);
  }

  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => hasType(value, t))) {
      fail("type", { type: types.join(",") }, `must be ${types.join(",")}`);
      return;
    }
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => equal(e, value)))
    fail("enum", { allowedValues: s.enum }, "must be equal to one of the allowed values");
  if ("const" in s && !equal(s.const, value))
    fail("const", { allowedValue: s.const }, "must be equal to constant");

  if (typeof value === "string") {
    const length = Array.from(value).length;
    if (typeof s.minLength === "number" && length < s.minLength)
      fail("minLength", { limit: s.minLength }, `must NOT have fewer than ${s.minLength} characters`);
    if (typeof s.maxLength === "number" && length > s.maxLength)
      fail("maxLength", { limit: s.maxLength }, `must NOT have more than ${s.maxLength} characters`);
    if (typeof s.pattern === "string" && regex(s.pattern) && !regex(s.pattern)?.test(value))
      fail("pattern", { pattern: s.pattern }, `must match pattern "${s.pattern}"`);
    if (typeof s.format === "string" && FORMATS[s.format] && !FORMATS[s.format]?.test(value))
      fail("format", { format: s.format }, `must match format "${s.format}"`);
  }

  if (typeof value === "number") {
    const limit = (keyword: string, ok: (n: number) => boolean, comparison: string) => {
      const n = s[keyword];
      if (typeof n === "number" && !ok(n))
        fail(keyword, { comparison, limit: n }, `must be ${comparison} ${n}`);
    };
    limit("minimum", (n) => value >= n, ">=");
    limit("maximum", (n) => value <= n, "<=");
    limit("exclusiveMinimum", (n) => value > n, ">");
    limit("exclusiveMaximum", (n) => value < n, "<");
    if (typeof s.multipleOf === "number" && s.multipleOf > 0) {
      const q = value / s.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-8)
        fail("multipleOf", { multipleOf: s.multipleOf }, `must be multiple of ${s.multipleOf}`);
    }
  }

  if (Array.isArray(value)) {
    if (typeof s.minItems === "number" && value.length < s.minItems)
      fail("minItems", { limit: s.minItems }, `must NOT have fewer than ${s.minItems} items`);
    if (typeof s.maxItems === "number" && value.length > s.maxItems)
      fail("maxItems", { limit: s.maxItems }, `must NOT have more than ${s.maxItems} items`);
    if (s.uniqueItems === true) {
      const dup = value.findIndex((v, i) => value.slice(0, i).some((w) => equal(v, w)));
      if (dup >= 0) fail("uniqueItems", { i: dup }, "must NOT have duplicate items");
    }
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
    value.forEach((item, i) => {
      if (i < prefix.length) sub(prefix[i], item, [...path, i], `${at}/prefixItems/${i}`);
      else if (s.items !== undefined && !Array.isArray(s.items))
        sub(s.items, item, [...path, i], `${at}/items`);
    });
  }

  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const obj = value as Record<string, Json>;
    const present = (k: string) => obj[k] !== undefined;
    if (Array.isArray(s.required))
      for (const name of s.required as string[])
        if (!present(name))
          fail("required", { missingProperty: name }, `must have required property '${name}'`);
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const [name, child] of Object.entries(props))
      if (present(name)) sub(child, obj[name], [...path, name], `${at}/properties/${name}`);
    const patternProps = (s.patternProperties ?? {}) as Record<string, Schema>;
    const extra = Object.keys(obj).filter(
      (k) => present(k) && !(k in props) && !Object.keys(patternProps).some((p) => regex(p)?.test(k)),
    );
    for (const [p, child] of Object.entries(patternProps))
      for (const k of Object.keys(obj))
        if (present(k) && regex(p)?.test(k)) sub(child, obj[k], [...path, k], `${at}/patternProperties/${p}`);
    if (s.additionalProperties === false)
      for (const k of extra)
        fail("additionalProperties", { additionalProperty: k }, "must NOT have additional properties");
    else if (typeof s.additionalProperties === "object")
      for (const k of extra) sub(s.additionalProperties, obj[k], [...path, k], `${at}/additionalProperties`);
    if (s.dependentRequired && typeof s.dependentRequired === "object")
      for (const [k, deps] of Object.entries(s.dependentRequired as Record<string, string[]>))
        if (present(k))
          for (const d of deps)
            if (!present(d)) fail("required", { missingProperty: d }, `must have required property '${d}'`);
    if (s.dependentSchemas && typeof s.dependentSchemas === "object")
      for (const [k, child] of Object.entries(s.dependentSchemas as Record<string, Schema>))
        if (present(k)) sub(child, value, path, `${at}/dependentSchemas/${k}`);
    const count = Object.keys(obj).filter(present).length;
    if (typeof s.minProperties === "number" && count < s.minProperties)
      fail(
        "minProperties",
        { limit: s.minProperties },
        `must NOT have fewer than ${s.minProperties} properties`,
      );
    if (typeof s.maxProperties === "number" && count > s.maxProperties)
      fail(
        "maxProperties",
        { limit: s.maxProperties },
        `must NOT have more than ${s.maxProperties} properties`,
      );
  }
}

/** Every failed keyword of `value` against `schema`; `root` resolves references. */
export function validate(schema: Schema, value: Json, root: Schema = schema): RawError[] {
  const ctx: Context = { root, errors: [], depth: 0 };
  check(schema, value, [], "#", ctx);
  return ctx.errors;
}

/** Raw errors as rjsf's errors: a missing property is reported on the property itself. */
function toRjsfErrors(raw: RawError[]): RJSFValidationError[] {
  return raw.map((e) => {
    let property = e.instancePath.replace(/\//g, ".");
    // As @rjsf/validator-ajv8 reports it: "name" at the root, ".a.name" below.
    if (typeof e.params.missingProperty === "string")
      property = property ? `${property}.${e.params.missingProperty}` : e.params.missingProperty;
    return {
      name: e.keyword,
      property,
      message: e.message,
      params: e.params,
      stack: `${property} ${e.message}`.trim(),
      schemaPath: e.schemaPath,
    };
  });
}

class InterpretingValidator implements ValidatorType {
  validateFormData(
    formData: unknown,
    schema: RJSFSchema,
    customValidate?: CustomValidator,
    transformErrors?: ErrorTransformer,
    uiSchema?: UiSchema,
  ): ValidationData<unknown> {
    let errors = toRjsfErrors(validate(schema as Schema, formData));
    if (typeof transformErrors === "function") errors = transformErrors(errors, uiSchema);
    const errorSchema = toErrorSchema(errors) as ErrorSchema;
    if (typeof customValidate !== "function") return { errors, errorSchema };
    const data = getDefaultFormState(this, schema, formData, schema, true);
    const handler = customValidate(data, createErrorHandler(data), uiSchema, errorSchema);
    return validationDataMerge({ errors, errorSchema }, unwrapErrorHandler(handler));
  }

  isValid(schema: RJSFSchema, formData: unknown, rootSchema: RJSFSchema): boolean {
    return validate(schema as Schema, formData, rootSchema as Schema).length === 0;
  }

  rawValidation<Result = unknown>(schema: RJSFSchema, formData?: unknown): { errors?: Result[] } {
    const errors = validate(schema as Schema, formData);
    return errors.length ? { errors: errors as Result[] } : {};
  }
}

export const formValidator: ValidatorType = new InterpretingValidator();
