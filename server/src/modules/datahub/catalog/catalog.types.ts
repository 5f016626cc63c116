/**
 * The data resource catalog (政务数据资源目录), GB/T 21063-style: what a resource is and which data
 * items it holds. Codes are the stored values; the Chinese names are what the district reads.
 */

/** 共享类型: 无条件共享 / 有条件共享 / 不予共享. */
export const SHARING_TYPES = ["unconditional", "conditional", "none"] as const;
export type SharingType = (typeof SHARING_TYPES)[number];
export const SHARING_TYPE_NAMES: Record<SharingType, string> = {
  unconditional: "无条件共享",
  conditional: "有条件共享",
  none: "不予共享",
};

/** 共享方式: 接口 / 文件 / 库表. */
export const SHARING_METHODS = ["api", "file", "table"] as const;
export type SharingMethod = (typeof SHARING_METHODS)[number];
export const SHARING_METHOD_NAMES: Record<SharingMethod, string> = {
  api: "接口",
  file: "文件",
  table: "库表",
};

/** 开放属性: 无条件开放 / 有条件开放 / 不予开放. */
export const OPEN_TYPES = ["open", "conditional", "closed"] as const;
export type OpenType = (typeof OPEN_TYPES)[number];
export const OPEN_TYPE_NAMES: Record<OpenType, string> = {
  open: "无条件开放",
  conditional: "有条件开放",
  closed: "不予开放",
};

/** 更新周期. */
export const UPDATE_CYCLES = [
  "realtime",
  "daily",
  "weekly",
  "monthly",
  "quarterly",
  "half-yearly",
  "yearly",
  "irregular",
] as const;
export type UpdateCycle = (typeof UPDATE_CYCLES)[number];
export const UPDATE_CYCLE_NAMES: Record<UpdateCycle, string> = {
  realtime: "实时",
  daily: "每日",
  weekly: "每周",
  monthly: "每月",
  quarterly: "每季度",
  "half-yearly": "每半年",
  yearly: "每年",
  irregular: "不定期",
};

/** 数据分级 (GB/T 43697-2024): 一般 / 重要 / 核心; a resource takes the highest grade of its items (就高从严). */
export const GRADES = ["general", "important", "core"] as const;
export type Grade = (typeof GRADES)[number];
export const GRADE_NAMES: Record<Grade, string> = {
  general: "一般数据",
  important: "重要数据",
  core: "核心数据",
};

export const ITEM_TYPES = ["string", "integer", "number", "date", "datetime", "boolean"] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** How the exchange gateway masks an item's value unless a grant allows it in clear. */
export const MASKS = ["none", "name", "id", "phone", "address", "uscc", "all"] as const;
export type Mask = (typeof MASKS)[number];

/**
 * 资源分类 (类 / 项): 1 基础信息资源 (the base pools), 2 主题信息资源, 3 部门信息资源. A resource
 * code is the category code, a slash and a six-digit sequence within it: 101/000001.
 */
export interface Category {
  code: string;
  name: string;
}
export const CATEGORIES: readonly Category[] = [
  { code: "101", name: "人口基础信息" },
  { code: "102", name: "法人单位基础信息" },
  { code: "103", name: "自然资源和空间地理基础信息" },
  { code: "104", name: "社会信用基础信息" },
  { code: "105", name: "电子证照基础信息" },
  { code: "201", name: "公共服务" },
  { code: "202", name: "社会保障" },
  { code: "203", name: "医疗卫生" },
  { code: "204", name: "教育文化" },
  { code: "205", name: "市场监管" },
  { code: "206", name: "城市管理" },
  { code: "207", name: "生态环境" },
  { code: "208", name: "安全生产与应急" },
  { code: "209", name: "交通运输" },
  { code: "301", name: "部门业务信息" },
];

/** A data item (信息项) of a resource. */
export interface DataItem {
  /** Machine name, unique in the resource: [a-z][a-zA-Z0-9_]*, e.g. idNumber. */
  name: string;
  /** 信息项名称, e.g. 公民身份号码. */
  title: string;
  type: ItemType;
  /** Maximum length for strings, digits for numbers; null when not fixed. */
  length: number | null;
  grade: Grade;
  /** 个人信息 (PIPL art. 4). */
  personal: boolean;
  /** 敏感个人信息 (PIPL art. 28): stored encrypted with SM4. */
  sensitive: boolean;
  mask: Mask;
  /** The base field it carries, e.g. "person.name" (数源责任清单), or null. */
  baseField: string | null;
}

/** What a department registers. */
export interface ResourceInput {
  name: string;
  /** Assigned by the platform (next sequence in the category) when left out. */
  code?: string | undefined;
  summary: string;
  categoryCode: string;
  /** 资源格式, e.g. 数据库, 电子表格, 接口. */
  format: string;
  sharingType: SharingType;
  /** 共享条件: required for conditional resources. */
  sharingCondition?: string | null | undefined;
  /** 共享依据 (law, regulation or policy): required for conditional and 不予共享 resources. */
  sharingBasis?: string | null | undefined;
  sharingMethod: SharingMethod;
  openType: OpenType;
  updateCycle: UpdateCycle;
  /** The item that identifies a record (e.g. idNumber, uscc). */
  keyItem: string;
  relatedCodes?: string[] | undefined;
  items: DataItem[];
}

export interface ResourceView extends Required<Omit<ResourceInput, "sharingCondition" | "sharingBasis">> {
  id: string;
  code: string;
  sharingCondition: string | null;
  sharingBasis: string | null;
  categoryName: string;
  providerDepartmentId: string;
  providerDepartmentName: string;
  /** The provider department's code (提供方代码). */
  providerDepartmentCode: string;
  status: "published" | "withdrawn";
  /** The highest grade of its items. */
  grade: Grade;
  /** 发布日期 (YYYY-MM-DD), the first publication. */
  publishedOn: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  recordCount: number;
  /** Gateway calls served ("shared N times"). */
  sharedCount: number;
}
