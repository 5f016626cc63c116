import { BUREAUS } from "../../../../demo/bureaus";
import { CITY, DISTRICT, DISTRICT_CODE } from "../../../../demo/places";
import type { FeeSpec, MaterialSpec, ServiceItemSpec, SpecialStepSpec } from "../item";

/**
 * Building blocks for the demo service catalog: form fields (JSON Schema property + uiSchema entry),
 * the recurring form fragments (applicant, enterprise, contact, address, delivery), common materials
 * and the item builder that derives the implementation code and the consultation and complaint
 * channels from the department.
 */

export const PHONE_PATTERN = "^1[3-9]\\d{9}$";
export const ID_PATTERN = "^\\d{17}[\\dXx]$";
export const USCC_PATTERN = "^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}$";
/** A citizen's ID number or an organisation's USCC, for items open to both kinds of applicant. */
export const ID_OR_USCC_PATTERN = "^(\\d{17}[\\dXx]|[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10})$";

const ADDRESS_PLACEHOLDER = `${CITY}${DISTRICT}××街道××路××号`;

type Json = Record<string, unknown>;

/** One form field: its schema, its uiSchema entry and whether the applicant must fill it. */
export interface Field {
  key: string;
  schema: Json;
  ui: Json;
  required: boolean;
}

export interface FieldOptions {
  optional?: boolean;
  /** The master-data field the platform fills it from ("x-prefill"). */
  prefill?: string;
  /** A prefilled value the applicant may change ("x-correctable"). */
  correctable?: boolean;
  pattern?: string;
  placeholder?: string;
  help?: string;
  widget?: string;
}

function field(key: string, schema: Json, o: FieldOptions = {}): Field {
  const s: Json = { ...schema };
  if (o.pattern) s.pattern = o.pattern;
  if (o.prefill) s["x-prefill"] = o.prefill;
  if (o.correctable) s["x-correctable"] = true;
  const ui: Json = {};
  if (o.widget) ui["ui:widget"] = o.widget;
  if (o.placeholder) ui["ui:placeholder"] = o.placeholder;
  if (o.help) ui["ui:help"] = o.help;
  return { key, schema: s, ui, required: !o.optional };
}

/** A single-line string. */
export const text = (key: string, title: string, maxLength: number, o?: FieldOptions) =>
  field(key, { type: "string", title, maxLength }, o);

/** Long free text (up to 2,000 characters), shown as a text area. */
export const memo = (key: string, title: string, o?: FieldOptions) =>
  field(key, { type: "string", title, maxLength: 2000 }, { widget: "textarea", ...o });

/** One value of a short list; up to four options show as radio buttons. */
export function choice(key: string, title: string, values: readonly string[], o?: FieldOptions): Field {
  const maxLength = Math.max(...values.map((v) => v.length));
  const widget = values.length <= 4 ? "radio" : undefined;
  return field(key, { type: "string", title, enum: [...values], maxLength }, { widget, ...o });
}

/** Several values of a list, shown as check boxes. */
export function multi(key: string, title: string, values: readonly string[], o?: FieldOptions): Field {
  const maxLength = Math.max(...values.map((v) => v.length));
  const items = { type: "string", enum: [...values], maxLength };
  return field(
    key,
    { type: "array", title, items, uniqueItems: true, minItems: o?.optional ? 0 : 1 },
    { widget: "checkboxes", ...o },
  );
}

export const date = (key: string, title: string, o?: FieldOptions) =>
  field(key, { type: "string", title, format: "date", maxLength: 10 }, o);

export const int = (key: string, title: string, minimum: number, maximum: number, o?: FieldOptions) =>
  field(key, { type: "integer", title, minimum, maximum }, o);

export const num = (key: string, title: string, minimum: number, maximum: number, o?: FieldOptions) =>
  field(key, { type: "number", title, minimum, maximum }, o);

export const yesNo = (key: string, title: string, o?: FieldOptions) =>
  field(key, { type: "boolean", title }, { widget: "radio", ...o });

export const mobile = (key: string, title: string, o?: FieldOptions) =>
  text(key, title, 11, { pattern: PHONE_PATTERN, placeholder: "11位手机号码", ...o });

export const idNo = (key: string, title: string, o?: FieldOptions) =>
  text(key, title, 18, { pattern: ID_PATTERN, placeholder: "18位公民身份号码", ...o });

export const usccNo = (key: string, title: string, o?: FieldOptions) =>
  text(key, title, 18, { pattern: USCC_PATTERN, placeholder: "18位统一社会信用代码", ...o });

/** A bank account number for payments (usually the social security card's financial account). */
export const accountNo = (title = "社会保障卡金融账号", o?: FieldOptions) =>
  text("bankAccountNo", title, 30, { pattern: "^\\d{12,30}$", placeholder: "12至30位数字", ...o });

/** An address kept as one string (no nested address object). */
export const place = (key: string, title: string, o?: FieldOptions) =>
  text(key, title, 200, { placeholder: ADDRESS_PLACEHOLDER, ...o });

/**
 * A table of rows (family members, staff, vehicles): an array of flat objects. Rows hold plain fields
 * only, so a form never nests deeper than one level.
 */
export function rows(
  key: string,
  title: string,
  columns: readonly Field[],
  limits: { minItems: number; maxItems: number },
  o?: FieldOptions,
): Field {
  const properties = Object.fromEntries(columns.map((c) => [c.key, c.schema]));
  const required = columns.filter((c) => c.required).map((c) => c.key);
  const items = { type: "object", properties, required, additionalProperties: false };
  const f = field(key, { type: "array", title, items, ...limits }, o);
  const itemUi: Json = { "ui:order": columns.map((c) => c.key) };
  for (const c of columns) if (Object.keys(c.ui).length > 0) itemUi[c.key] = c.ui;
  f.ui.items = itemUi;
  return f;
}

/** The form schema and its uiSchema; the order of the fields is the order on screen. */
export function form(title: string, fields: readonly Field[]): { form: Json; uiSchema: Json } {
  const keys = fields.map((f) => f.key);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice) throw new Error(`form ${title} has the field ${twice} twice`);
  const uiSchema: Json = { "ui:order": keys };
  for (const f of fields) if (Object.keys(f.ui).length > 0) uiSchema[f.key] = f.ui;
  return {
    form: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      title,
      type: "object",
      properties: Object.fromEntries(fields.map((f) => [f.key, f.schema])),
      required: fields.filter((f) => f.required).map((f) => f.key),
      additionalProperties: false,
    },
    uiSchema,
  };
}

// ---------------------------------------------------------------------------------------------------
// Recurring fragments

/** Fields of a natural-person applicant, filled from the population base. */
export const person = {
  name: (title = "申请人姓名") => text("applicantName", title, 50, { prefill: "name" }),
  idNumber: (title = "公民身份号码") => idNo("idNumber", title, { prefill: "idNumber" }),
  gender: () => choice("gender", "性别", ["男", "女"], { prefill: "gender" }),
  birthDate: () => date("birthDate", "出生日期", { prefill: "birthDate" }),
  ethnicity: () => text("ethnicity", "民族", 20, { prefill: "ethnicity" }),
  maritalStatus: () =>
    choice("maritalStatus", "婚姻状况", ["未婚", "已婚", "离婚", "丧偶"], { prefill: "maritalStatus" }),
  education: () => text("education", "文化程度", 20, { prefill: "education", correctable: true }),
  employer: (o?: FieldOptions) =>
    text("employer", "工作单位", 100, { prefill: "employer", correctable: true, ...o }),
  phone: () => mobile("phone", "联系电话", { prefill: "phone", correctable: true }),
  address: (title = "现住址") => place("address", title, { prefill: "address", correctable: true }),
  householdAddress: () => place("householdAddress", "户籍地址", { prefill: "householdAddress" }),
};

/** The applicant block of a person item: name, ID number, phone and current address. */
export const applicant = (nameTitle?: string): Field[] => [
  person.name(nameTitle),
  person.idNumber(),
  person.phone(),
  person.address(),
];

/** Fields of an enterprise (or other organisation) applicant, filled from the legal-person base. */
export const legal = {
  name: (title = "单位名称") => text("entityName", title, 100, { prefill: "name" }),
  uscc: () => usccNo("uscc", "统一社会信用代码", { prefill: "uscc" }),
  representative: (title = "法定代表人（负责人）") =>
    text("legalRepresentative", title, 50, { prefill: "legalRepresentative" }),
  capital: () =>
    num("registeredCapital", "注册资本（万元）", 0, 10_000_000, { prefill: "registeredCapital" }),
  established: () => date("establishedDate", "成立日期", { prefill: "establishedDate" }),
  address: (title = "住所") => place("entityAddress", title, { prefill: "address" }),
  industry: () => text("industry", "所属行业", 100, { prefill: "industry" }),
  status: () => text("status", "登记状态", 20, { prefill: "status" }),
  phone: () => mobile("entityPhone", "单位联系电话", { prefill: "phone", correctable: true }),
};

/** The applicant block of an enterprise item: name, USCC, legal representative and domicile. */
export const enterprise = (nameTitle?: string): Field[] => [
  legal.name(nameTitle),
  legal.uscc(),
  legal.representative(),
  legal.address(),
];

/** Who handles the application for an organisation (经办人). */
export const contact = (): Field[] => [
  text("contactName", "经办人姓名", 50),
  idNo("contactIdNumber", "经办人身份证号码"),
  mobile("contactPhone", "经办人手机号码"),
];

/** The applicant of an item open to citizens and organisations alike (no prefill: the bases differ). */
export const anyApplicant = (): Field[] => [
  choice("applicantKind", "申请人类型", ["自然人", "法人或其他组织"]),
  text("applicantName", "申请人姓名或名称", 100),
  text("applicantCode", "公民身份号码或统一社会信用代码", 18, {
    pattern: ID_OR_USCC_PATTERN,
    help: "自然人填写18位公民身份号码，单位填写18位统一社会信用代码",
  }),
  mobile("contactPhone", "联系电话"),
];

/** How the result reaches the applicant. */
export const delivery = (options: readonly string[] = ["窗口领取", "邮政寄递"]): Field[] => [
  choice("deliveryMethod", "结果领取方式", options),
  place("deliveryAddress", "寄递地址", { optional: true, help: "选择邮政寄递时填写，邮费由政府承担" }),
];

// ---------------------------------------------------------------------------------------------------
// Materials

type MaterialOptions = Partial<MaterialSpec>;

export function material(
  code: string,
  name: string,
  form: MaterialSpec["form"],
  source: MaterialSpec["source"],
  o?: MaterialOptions,
): MaterialSpec {
  return { code, name, form, copies: 1, mandatory: true, source, ...o };
}

export const idCard = (who = "申请人", o?: MaterialOptions) =>
  material("id-card", `${who}居民身份证`, "original", "government", {
    certificateType: "resident-id-card",
    sharedData: true,
    note: "已领取电子身份证照的，通过证照库核验，免提交",
    ...o,
  });

export const householdBook = (o?: MaterialOptions) =>
  material("household-register", "居民户口簿", "original", "government", {
    certificateType: "household-register",
    sharedData: true,
    ...o,
  });

export const businessLicence = (o?: MaterialOptions) =>
  material("business-licence", "营业执照", "copy", "government", {
    certificateType: "business-licence",
    sharedData: true,
    note: "通过电子营业执照或登记数据共享核验，免提交",
    ...o,
  });

export const marriageCertificate = (o?: MaterialOptions) =>
  material("marriage-certificate", "结婚证", "original", "government", {
    certificateType: "marriage-certificate",
    sharedData: true,
    ...o,
  });

export const birthCertificate = (o?: MaterialOptions) =>
  material("birth-medical-certificate", "出生医学证明", "original", "other", {
    certificateType: "birth-medical-certificate",
    sharedData: true,
    note: "由助产机构签发，已入库的电子证照免提交",
    ...o,
  });

export const disabilityCertificate = (o?: MaterialOptions) =>
  material("disability-certificate", "中华人民共和国残疾人证", "original", "government", {
    certificateType: "disability-certificate",
    sharedData: true,
    ...o,
  });

export const photo = (o?: MaterialOptions) =>
  material("photo", "近期免冠彩色证件照片", "electronic", "applicant", {
    note: "白色背景，不着制式服装，358×441像素以上",
    accept: ["image/jpeg", "image/png"],
    ...o,
  });

export const applicationForm = (name: string, o?: MaterialOptions) =>
  material("application-form", name, "original", "applicant", {
    note: "网上申报的由系统根据表单生成，申请人签名（盖章）确认",
    ...o,
  });

export const premisesProof = (o?: MaterialOptions) =>
  material("premises-proof", "经营场所使用证明", "copy", "applicant", {
    note: "自有房屋提交不动产权证书；租赁的提交租赁合同及出租方产权证明",
    ...o,
  });

export const powerOfAttorney = (o?: MaterialOptions) =>
  material("power-of-attorney", "授权委托书及受托人身份证件", "original", "applicant", {
    mandatory: false,
    note: "委托他人代为办理时提交",
    ...o,
  });

export const bankAccount = (o?: MaterialOptions) =>
  material("bank-account", "本人社会保障卡（金融账户已激活）或本人银行账户", "copy", "applicant", {
    certificateType: "social-security-card",
    note: "待遇发放至该账户",
    ...o,
  });

// ---------------------------------------------------------------------------------------------------
// Items

/** Fee of a free item; 行政许可 cite the rule that makes them free. */
export const FREE: FeeSpec = { amountFen: 0, note: "不收费" };
export const FREE_LICENCE: FeeSpec = {
  amountFen: 0,
  basis:
    "《中华人民共和国行政许可法》第五十八条：行政机关实施行政许可和对行政许可事项进行监督检查，不得收取任何费用",
  note: "不收费",
};

/** An item as written in the area files: code, channels and form are derived by `item`. */
export type ItemInput = Omit<
  ServiceItemSpec,
  "code" | "authority" | "specialSteps" | "fee" | "consultation" | "complaint" | "form" | "uiSchema"
> & {
  authority?: ServiceItemSpec["authority"];
  specialSteps?: SpecialStepSpec[];
  fee?: FeeSpec;
  /** The counter at the government services centre (default 综合窗口). */
  counter?: string;
  fields: readonly Field[];
};

/** The department's number (3 digits, its place in the organisation chart). */
export function departmentNumber(key: string): string {
  const index = BUREAUS.findIndex((b) => b.key === key);
  if (index < 0) throw new Error(`no department ${key}`);
  return String(index + 1).padStart(3, "0");
}

/** 实施编码: basic code, the district's 12-digit division code, the department and the first implementer. */
export const implementationCode = (basicCode: string, departmentKey: string) =>
  `${basicCode}-${DISTRICT_CODE}000000-${departmentNumber(departmentKey)}-01`;

export function item(input: ItemInput): ServiceItemSpec {
  const { fields, counter, ...spec } = input;
  const bureau = BUREAUS.find((b) => b.key === spec.departmentKey);
  if (!bureau) throw new Error(`no department ${spec.departmentKey}`);
  const n = Number(departmentNumber(spec.departmentKey));
  return {
    code: implementationCode(spec.basicCode, spec.departmentKey),
    authority: "statutory",
    specialSteps: [],
    fee: spec.itemType === "行政许可" ? FREE_LICENCE : FREE,
    ...spec,
    consultation:
      `咨询电话：020-8213${String(1000 + n * 11)}（${bureau.name}，工作日9:00-12:00、14:00-18:00）；` +
      `${DISTRICT}政务服务中心${counter ?? "综合窗口"}（${DISTRICT}府前路1号）；广东政务服务网在线咨询`,
    complaint:
      `12345政务服务便民热线；${bureau.name}监督电话：020-8213${String(1005 + n * 11)}；` +
      `${DISTRICT}政务服务中心效能监督电话：020-82130000；广东政务服务网“好差评”`,
    ...form(spec.name, fields),
  };
}
