/**
 * A service item (政务服务事项) as the implementation list describes it (GB/T 39554.1-2020 codes and the
 * national guide fields), with its online form (JSON Schema + UI hints) and its process. Items are
 * imported or written as this shape; the catalog versions and publishes them.
 */

/** 事项类型 */
export const ITEM_TYPES = [
  "行政许可",
  "行政确认",
  "行政裁决",
  "行政给付",
  "行政奖励",
  "行政备案",
  "其他行政权力",
  "公共服务",
] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** Life events (人生事件) and enterprise stages a citizen or enterprise browses by. */
export const LIFE_EVENTS = {
  birth: "出生",
  school: "入学",
  employment: "就业",
  marriage: "婚姻",
  housing: "住房",
  residence: "户籍居住",
  "social-security": "社保医保",
  health: "医疗卫生",
  retirement: "退休养老",
  disability: "残疾人服务",
  assistance: "社会救助",
  "military-service": "兵役退役",
  death: "身后事",
  "start-business": "开办企业",
  "run-business": "经营许可",
  construction: "工程建设",
  "city-management": "市容城管",
  tax: "纳税缴费",
  "close-business": "注销企业",
} as const;
export type LifeEvent = keyof typeof LIFE_EVENTS;

/** Where a material comes from (材料来源渠道). */
export type MaterialSource = "applicant" | "government" | "intermediary" | "other";

export interface MaterialSpec {
  /** Stable within the item, lower-kebab, e.g. "id-card". */
  code: string;
  name: string;
  /** 原件 / 复印件 / 电子 */
  form: "original" | "copy" | "electronic";
  copies: number;
  mandatory: boolean;
  source: MaterialSource;
  /** The e-certificate type that can stand in for it (e.g. "resident-id-card", "business-licence"). */
  certificateType?: string;
  /** Can be replaced by shared data (免提交: the department reads it from the data hub). */
  sharedData?: boolean;
  legalBasis?: string;
  /** What the applicant must know to prepare it (填写说明). */
  note?: string;
  /** Accepted file types: MIME types (default pdf, jpeg, png). */
  accept?: string[];
}

/** 特殊环节: steps that do not count toward the time limit. */
export interface SpecialStepSpec {
  kind: "site-inspection" | "testing" | "expert-review" | "hearing" | "public-notice" | "quarantine";
  name: string;
  /** Longest time it may take, in working days. */
  maxDays: number;
  legalBasis?: string;
}

export interface FeeSpec {
  /** Integer fen; 0 for a free item. */
  amountFen: number;
  basis?: string;
  note?: string;
}

export interface ServiceItemSpec {
  /** 实施编码, unique in the district (kept as its parts below as well). */
  code: string;
  /** 基本编码, e.g. "XK00101000" (2-letter type + 5-digit main item + 3-digit sub-item). */
  basicCode: string;
  name: string;
  itemType: ItemType;
  /** The implementing department (实施主体) by the demo bureau key, e.g. "market-regulation". */
  departmentKey: string;
  /** 实施主体性质 */
  authority: "statutory" | "authorised" | "entrusted";
  /** 设定依据: laws and articles. */
  legalBasis: string[];
  /** 受理条件, each a concrete condition (no catch-all "other conditions"). */
  conditions: string[];
  /** 数量限制, when there is one. */
  quantityLimit?: string;
  applicantTypes: ("person" | "legal")[];
  lifeEvents: LifeEvent[];
  materials: MaterialSpec[];
  /** 法定办结时限 in working days (0 = 即办). */
  statutoryDays: number;
  /** 承诺办结时限 in working days (0 = 即办件, done on the spot); never above statutoryDays. */
  promisedDays: number;
  specialSteps: SpecialStepSpec[];
  fee: FeeSpec;
  /** 办理形式 */
  handlingForm: "online" | "window" | "online-and-window";
  /** 全程网办 */
  fullyOnline: boolean;
  /** 到现场次数 (0, 1 or 2). */
  visits: number;
  /** 是否支持物流快递 (results and paper materials). */
  courier: boolean;
  /** 通办范围 */
  crossRegion: "none" | "district" | "city" | "province" | "national" | "greater-bay-area";
  /** 审批结果 and its kind, e.g. {name: "营业执照", kind: "licence"}. */
  result: {
    name: string;
    kind: "licence" | "permit" | "registration" | "certificate" | "decision" | "payment" | "other";
  };
  /** 咨询方式 and 监督投诉方式 */
  consultation: string;
  complaint: string;
  /** The BPMN process key it runs on (default "service-application"). */
  processKey?: string;
  /**
   * The form, as JSON Schema draft 2020-12 (type object). A property bound to master data carries
   * "x-prefill": "<field of the applicant's base>" (population fields for a person, legal-person
   * fields for an enterprise); such a field is read-only unless "x-correctable": true.
   * Titles and error texts in Chinese.
   */
  form: Record<string, unknown>;
  /** UI hints in react-jsonschema-form's uiSchema shape (ui:order, ui:widget, ui:placeholder, …). */
  uiSchema: Record<string, unknown>;
}
