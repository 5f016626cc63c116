/**
 * The fields of the two master-data bases: 人口库 (population) and 法人库 (legal persons), with the
 * Chinese titles shown to reviewers.
 */

/** Which master-data base a record belongs to. */
export type MasterBase = "population" | "legalPerson";

/** Fields of a population (人口库) record, in display order. */
export const PERSON_FIELDS = [
  "name",
  "idNumber",
  "gender",
  "birthDate",
  "phone",
  "address",
  "householdAddress",
  "ethnicity",
  "maritalStatus",
  "education",
  "employer",
] as const;

/** Fields of a legal-person (法人库) record, in display order. */
export const LEGAL_PERSON_FIELDS = [
  "name",
  "uscc",
  "legalRepresentative",
  "registeredCapital",
  "establishedDate",
  "address",
  "industry",
  "status",
  "phone",
] as const;

export type PersonField = (typeof PERSON_FIELDS)[number];
export type LegalPersonField = (typeof LEGAL_PERSON_FIELDS)[number];

const PERSON_TITLES: Readonly<Record<PersonField, string>> = {
  name: "姓名",
  idNumber: "公民身份号码",
  gender: "性别",
  birthDate: "出生日期",
  phone: "联系电话",
  address: "现住址",
  householdAddress: "户籍地址",
  ethnicity: "民族",
  maritalStatus: "婚姻状况",
  education: "学历",
  employer: "工作单位",
};

const LEGAL_PERSON_TITLES: Readonly<Record<LegalPersonField, string>> = {
  name: "名称",
  uscc: "统一社会信用代码",
  legalRepresentative: "法定代表人",
  registeredCapital: "注册资本（万元）",
  establishedDate: "成立日期",
  address: "住所",
  industry: "行业",
  status: "登记状态",
  phone: "联系电话",
};

/** The fields of a base, in display order. */
export function fieldsOf(base: MasterBase): readonly string[] {
  return base === "population" ? PERSON_FIELDS : LEGAL_PERSON_FIELDS;
}

/**
 * The Chinese title of a field, e.g. name → 姓名 (population) / 名称 (legalPerson). A field the base
 * does not have is returned unchanged, so a caller can always show something.
 */
export function fieldTitle(base: MasterBase, field: string): string {
  const titles: Readonly<Record<string, string>> =
    base === "population" ? PERSON_TITLES : LEGAL_PERSON_TITLES;
  return Object.hasOwn(titles, field) ? titles[field]! : field;
}
