/**
 * The demo sources one by one: what each department holds (which people or enterprises, which fields,
 * under which column names), how it writes values, and how often its data entry errs; and how one
 * record of a source is rendered from its subject. Part of demo-sources.ts.
 */
import { chineseName } from "../../../demo/names";
import { DISTRICT, SUBDISTRICTS } from "../../../demo/places";
import type { Random, Weighted } from "../../../demo/random";
import type { DemoCitizen } from "../../../demo/types";
import {
  type Firm,
  type FirmStatus,
  type Households,
  type MaritalStatus,
  type Person,
  SHORT_EDUCATION,
} from "./demo-sources.subjects";
import {
  type AddressStyle,
  type CapitalStyle,
  type DateStyle,
  dayBetween,
  formatAddress,
  formatCapital,
  formatDate,
  formatGender,
  formatIndustry,
  formatPhone,
  fullWidth,
  type GenderStyle,
  halfWidthBrackets,
  type IndustryStyle,
  legacyId,
  mistypeCitizenId,
  mistypeUscc,
  type PhoneStyle,
  strayWhitespace,
  traditional,
  typoName,
} from "./demo-sources.values";
import type { LegalPersonField, PersonField } from "./standardise/fields";

/** A column of a source: a canonical field, or an extra the loader ignores (drawn from the subject). */
export interface Column<F extends string, S> {
  name: string;
  field?: F;
  extra?: (rng: Random, subject: S, households: Households) => string | number;
}

const to = <F extends string>(name: string, field: F) => ({ name, field });
const extra = <S>(
  name: string,
  value: (rng: Random, subject: S, households: Households) => string | number,
) => ({
  name,
  extra: value,
});

/** What every source plan says: its published spec, whom it holds, and how it writes values. */
export interface PlanBase<F extends string, S> {
  code: string;
  name: string;
  bureau: string;
  format: "csv" | "csv-gbk" | "ndjson";
  keyColumn: string;
  /** Record ids: a prefix and a number of digits, counting up with small gaps. */
  recordId: readonly [prefix: string, digits: number];
  /** Weight of the source in its base's record total: the requested sources split it by weight. */
  share: number;
  eligible: (subject: S) => boolean;
  columns: readonly Column<F, S>[];
  /** How an NDJSON source writes a missing value. */
  missing?: "null" | "omit" | "empty";
  /** Exported from Excel: a UTF-8 byte-order mark. */
  bom?: boolean;
  /** A few broken rows for the loader's problem report (see the file comment). */
  malformed?: boolean;
  /** Shows the newer address of subjects who moved. */
  fresh?: boolean;
  date: DateStyle;
  phone: Weighted<PhoneStyle>;
  address: AddressStyle;
}

/** Error rates of a population source, as fractions of its records. */
export interface PersonErrors {
  nameTypo: number;
  /** Names and addresses in traditional characters. */
  traditional: number;
  /** Full-width digits in the ID or the phone. */
  fullWidth: number;
  idTypo: number;
  /** 15-digit IDs, among people born before 1980. */
  legacyId: number;
  /** Lowercase check letter x, among IDs ending in X. */
  lowercaseX: number;
  missingId: number;
  missingPhone: number;
  missingAddress: number;
  duplicate: number;
}

/** A population source. */
export interface PersonPlan extends PlanBase<PersonField, Person> {
  base: "population";
  gender: GenderStyle;
  /** 汉族 and 大学本科, or 汉 and 本科. */
  vocabulary: "full" | "short";
  /** How the source words a marital status where it differs from the truth. */
  marital?: Partial<Record<MaritalStatus, string>>;
  errors: Partial<PersonErrors>;
}

/** Error rates of a legal-person source, as fractions of its records. */
export interface EnterpriseErrors {
  nameTypo: number;
  traditional: number;
  halfWidthBrackets: number;
  whitespace: number;
  /** Individual businesses' names without the （个体工商户） suffix required since 2022. */
  oldIndividualName: number;
  usccTypo: number;
  lowercaseUscc: number;
  fullWidth: number;
  missingUscc: number;
  representativeTypo: number;
  missingPhone: number;
  missingAddress: number;
  duplicate: number;
}

/** A legal-person source. */
export interface EnterprisePlan extends PlanBase<LegalPersonField, Firm> {
  base: "legalPerson";
  /** For sources with those fields. */
  capital?: CapitalStyle;
  industry?: IndustryStyle;
  status?: Record<FirmStatus, string>;
  errors: Partial<EnterpriseErrors>;
}

/** Default error rates of population sources; each plan overrides what its department does differently. */
export const PERSON_ERRORS: PersonErrors = {
  nameTypo: 0.015,
  traditional: 0,
  fullWidth: 0.02,
  idTypo: 0.015,
  legacyId: 0,
  lowercaseX: 0,
  missingId: 0.005,
  missingPhone: 0.07,
  missingAddress: 0.05,
  duplicate: 0.01,
};

/** Default error rates of legal-person sources. */
export const ENTERPRISE_ERRORS: EnterpriseErrors = {
  nameTypo: 0.005,
  traditional: 0,
  halfWidthBrackets: 0,
  whitespace: 0,
  oldIndividualName: 0,
  usccTypo: 0.015,
  lowercaseUscc: 0,
  fullWidth: 0.01,
  missingUscc: 0.005,
  representativeTypo: 0.015,
  missingPhone: 0.08,
  missingAddress: 0.03,
  duplicate: 0.01,
};

const PLAIN: Weighted<PhoneStyle> = [["plain", 1]];

const DOCUMENT_NAMES: Record<DemoCitizen["idType"], string> = {
  resident_id: "居民身份证",
  hk_macao_permit: "港澳居民来往内地通行证",
  taiwan_permit: "台湾居民来往大陆通行证",
  foreign_passport: "外国护照",
};

const NOTES = ["", "", "", "", "", "", "", "", "已核实", "人户分离", "电话空号, 待核实", '户主备注"空挂户"'];

const recent = (rng: Random) => dayBetween(rng, "2023-01-01", "2025-12-31");
const schoolRoot = (p: Person) =>
  SUBDISTRICTS[Number(p.citizen.subdistrictCode.slice(-3)) - 1]?.root ?? "云溪";

/**
 * The population sources. The first ten between them show every kind of error (the fusion benchmark
 * takes the first ten), so keep the GBK, NDJSON, legacy-ID, grid and traditional sources among them.
 */
export const POPULATION_PLANS: readonly PersonPlan[] = [
  {
    code: "ps-household",
    name: "公安户籍及居住登记人口信息",
    bureau: "public-security",
    base: "population",
    format: "csv",
    keyColumn: "记录编号",
    recordId: ["HJ", 12],
    share: 0.22,
    // Household registration and residence registration (居住证) together: every mainland resident.
    eligible: (p) => p.citizen.idType === "resident_id",
    columns: [
      to("姓名", "name"),
      to("公民身份号码", "idNumber"),
      to("性别", "gender"),
      to("民族", "ethnicity"),
      to("出生日期", "birthDate"),
      to("户籍地址", "householdAddress"),
      to("现住址", "address"),
      to("联系电话", "phone"),
      to("婚姻状况", "maritalStatus"),
      to("文化程度", "education"),
      extra("登记类别", (_, p) => (p.localHukou ? "户籍人口" : "居住登记")),
      extra("登记日期", (rng) => formatDate(dayBetween(rng, "2000-01-01", "2025-12-31"), "compact")),
      extra("备注", (rng) => rng.pick(NOTES)),
    ],
    date: "compact",
    gender: "text",
    phone: PLAIN,
    address: "full",
    vocabulary: "full",
    errors: { nameTypo: 0.005, idTypo: 0.003, missingId: 0, missingPhone: 0.1, missingAddress: 0.01 },
  },
  {
    code: "hr-insurance",
    name: "社会保险参保人员信息",
    bureau: "human-resources",
    base: "population",
    format: "csv-gbk",
    keyColumn: "AAC001",
    recordId: ["44012", 10],
    share: 0.14,
    // Employees and retirees: the insured of the urban employees' scheme.
    eligible: (p) => p.age >= 16 && (p.employer !== null || p.age >= 55),
    columns: [
      to("AAC003", "name"),
      to("AAE135", "idNumber"),
      to("AAC004", "gender"),
      to("AAC006", "birthDate"),
      to("AAC011", "education"),
      to("AAB004", "employer"),
      to("AAE005", "phone"),
      to("AAE006", "address"),
      extra("AAC008", (_, p) => (p.employer ? "参保缴费" : p.age >= 55 ? "退休" : "暂停缴费")),
      extra("AAE030", (rng, p) =>
        formatDate(dayBetween(rng, `${Math.max(1995, p.birthYear + 18)}-01-01`, "2025-12-31"), "compact"),
      ),
    ],
    date: "iso",
    gender: "code",
    phone: [
      ["plain", 8],
      ["spaced", 2],
    ],
    address: "noCity",
    vocabulary: "short",
    errors: { lowercaseX: 0.5 },
  },
  {
    code: "hcs-medical",
    name: "医疗保险参保人员信息",
    bureau: "healthcare-security",
    base: "population",
    format: "csv",
    keyColumn: "个人编码",
    recordId: ["YB", 12],
    share: 0.12,
    eligible: () => true,
    columns: [
      to("姓名", "name"),
      extra("证件类型", (_, p) => DOCUMENT_NAMES[p.citizen.idType]),
      to("证件号码", "idNumber"),
      to("性别", "gender"),
      to("出生日期", "birthDate"),
      to("联系电话", "phone"),
      to("居住地址", "address"),
      to("参保单位名称", "employer"),
      extra("参保险种", (_, p) => (p.employer ? "职工基本医疗保险" : "城乡居民基本医疗保险")),
    ],
    date: "slash",
    gender: "text",
    phone: [["dashed", 1]],
    address: "full",
    vocabulary: "full",
    errors: {},
  },
  {
    code: "health-immunization",
    name: "儿童预防接种信息",
    bureau: "health",
    base: "population",
    format: "ndjson",
    keyColumn: "jzbh",
    recordId: ["JZ", 12],
    share: 0.05,
    eligible: (p) => p.age <= 14,
    columns: [
      to("xm", "name"),
      to("xb", "gender"),
      to("csrq", "birthDate"),
      to("sfzh", "idNumber"),
      extra("jhrxm", (rng, p, households) => households.parents(rng, p).mother),
      extra("jhrdh", (rng, p, households) => households.parents(rng, p).phone),
      to("jzdz", "address"),
      extra("jzdw", (_, p) => `${schoolRoot(p)}街社区卫生服务中心`),
      extra(
        "gxsj",
        (rng) =>
          `${recent(rng)} ${String(rng.int(8, 17)).padStart(2, "0")}:${String(rng.int(0, 59)).padStart(2, "0")}:00`,
      ),
    ],
    missing: "null",
    date: "iso",
    gender: "code",
    phone: PLAIN,
    address: "noCity",
    vocabulary: "full",
    fresh: true,
    errors: { missingId: 0.08 },
  },
  {
    code: "ca-marriage",
    name: "婚姻登记信息",
    bureau: "civil-affairs",
    base: "population",
    format: "csv",
    keyColumn: "登记编号",
    recordId: ["J440120-", 9],
    share: 0.08,
    eligible: (p) => p.age >= 20 && p.maritalStatus !== "未婚" && p.citizen.idType !== "foreign_passport",
    columns: [
      extra("登记类型", (_, p) => (p.maritalStatus === "离婚" ? "离婚登记" : "结婚登记")),
      to("姓名", "name"),
      to("身份证件号", "idNumber"),
      to("性别", "gender"),
      to("出生日期", "birthDate"),
      to("民族", "ethnicity"),
      to("文化程度", "education"),
      // The register knows marriages and divorces, not deaths: widowed people still read 已婚.
      to("婚姻状况", "maritalStatus"),
      to("户籍所在地", "householdAddress"),
      extra("登记日期", (rng, p) =>
        formatDate(dayBetween(rng, `${p.birthYear + 22}-01-01`, "2025-12-31"), "slash"),
      ),
    ],
    date: "slash",
    gender: "text",
    phone: PLAIN,
    address: "full",
    vocabulary: "short",
    marital: { 丧偶: "已婚" },
    // Registrations from the 1990s keep the first-generation 15-digit numbers.
    errors: { legacyId: 0.05, missingId: 0 },
  },
  {
    code: "edu-student",
    name: "中小学学籍信息",
    bureau: "education",
    base: "population",
    format: "csv",
    keyColumn: "学籍记录号",
    recordId: ["XJ", 10],
    share: 0.04,
    eligible: (p) => p.age >= 6 && p.age <= 18,
    columns: [
      to("姓名", "name"),
      to("性别", "gender"),
      to("出生日期", "birthDate"),
      to("身份证件号", "idNumber"),
      to("民族", "ethnicity"),
      extra("就读学校", (_, p) => `广州市云溪区${schoolRoot(p)}${p.age < 12 ? "小学" : "中学"}`),
      extra("年级", (_, p) => `${Math.min(12, Math.max(1, p.age - 5))}年级`),
      to("家庭住址", "address"),
      to("户口所在地", "householdAddress"),
      extra("监护人电话", (rng, p, households) => households.parents(rng, p).phone),
    ],
    date: "iso",
    gender: "text",
    phone: PLAIN,
    address: "full",
    vocabulary: "full",
    errors: {},
  },
  {
    code: "housing-rental",
    name: "房屋租赁登记备案信息",
    bureau: "housing",
    base: "population",
    format: "ndjson",
    keyColumn: "contractNo",
    recordId: ["ZL", 12],
    share: 0.06,
    eligible: (p) => p.age >= 18 && p.age <= 65 && !p.localHukou,
    columns: [
      to("tenantName", "name"),
      extra("certType", (_, p) => DOCUMENT_NAMES[p.citizen.idType]),
      to("certNo", "idNumber"),
      to("tenantPhone", "phone"),
      to("houseAddress", "address"),
      extra("landlordName", (rng) =>
        chineseName(rng, rng.chance(0.5) ? "male" : "female", rng.int(1950, 1985)),
      ),
      extra("monthlyRent", (rng) => rng.int(8, 60) * 100),
      extra("registeredAt", recent),
    ],
    missing: "omit",
    malformed: true,
    date: "iso",
    gender: "text",
    phone: [["intl", 1]],
    address: "full",
    vocabulary: "full",
    fresh: true,
    errors: {},
  },
  {
    code: "tax-iit",
    name: "个人所得税自然人纳税人信息",
    bureau: "taxation",
    base: "population",
    format: "csv",
    keyColumn: "登记序号",
    recordId: ["10144012", 10],
    share: 0.07,
    eligible: (p) => p.employer !== null && p.age >= 18,
    columns: [
      to("纳税人姓名", "name"),
      extra("证件类型", (_, p) => DOCUMENT_NAMES[p.citizen.idType]),
      to("证件号码", "idNumber"),
      extra(
        "国籍",
        (_, p) =>
          ({
            resident_id: "中国",
            hk_macao_permit: "中国香港",
            taiwan_permit: "中国台湾",
            foreign_passport: "外籍",
          })[p.citizen.idType],
      ),
      to("性别", "gender"),
      to("出生日期", "birthDate"),
      to("任职受雇单位名称", "employer"),
      to("手机号码", "phone"),
      to("联系地址", "address"),
    ],
    date: "chinese",
    gender: "text",
    phone: [["spaced", 1]],
    address: "full",
    vocabulary: "full",
    errors: { missingPhone: 0.02 },
  },
  {
    code: "grid-visit",
    name: "网格化入户走访人员信息",
    bureau: "operations-centre",
    base: "population",
    format: "csv",
    keyColumn: "采集编号",
    recordId: ["WG", 12],
    share: 0.07,
    eligible: () => true,
    columns: [
      to("姓名", "name"),
      to("性别", "gender"),
      to("出生日期", "birthDate"),
      to("身份证号", "idNumber"),
      to("民族", "ethnicity"),
      to("联系电话", "phone"),
      to("现居住地址", "address"),
      to("户籍地", "householdAddress"),
      extra("人员类型", (_, p) =>
        p.citizen.idType !== "resident_id" ? "境外人员" : p.localHukou ? "户籍人口" : "流动人口",
      ),
      extra("网格编号", (_, p) => p.citizen.gridCode),
      extra("采集时间", recent),
      extra("备注", (rng) => rng.pick(NOTES)),
    ],
    bom: true,
    malformed: true,
    date: "iso",
    gender: "text",
    phone: [
      ["plain", 7],
      ["spaced", 2],
      ["dashed", 1],
    ],
    address: "local",
    vocabulary: "full",
    fresh: true,
    // Residents often decline to show their card at the door.
    errors: { missingId: 0.3, nameTypo: 0.02, missingPhone: 0.1 },
  },
  {
    code: "db-realname",
    name: "政务服务实名认证用户信息",
    bureau: "data-bureau",
    base: "population",
    format: "ndjson",
    keyColumn: "userId",
    recordId: ["u", 10],
    share: 0.06,
    eligible: (p) => p.age >= 16 && p.age <= 85,
    columns: [
      to("realName", "name"),
      extra("certType", (_, p) => p.citizen.idType),
      to("certNo", "idNumber"),
      to("gender", "gender"),
      to("birthday", "birthDate"),
      to("mobile", "phone"),
      to("address", "address"),
      extra("authLevel", (rng) => (rng.chance(0.7) ? "L3" : "L2")),
      extra("registeredAt", recent),
    ],
    missing: "empty",
    date: "iso",
    gender: "letter",
    // Typed by users themselves, in every way phone numbers are written.
    phone: [
      ["plain", 6],
      ["intl", 2],
      ["spaced", 1],
      ["dashed", 1],
    ],
    address: "full",
    vocabulary: "full",
    fresh: true,
    // The app's traditional-Chinese interface for Hong Kong and Macao users stores what they type.
    errors: { traditional: 0.3, fullWidth: 0.03, missingAddress: 0.15 },
  },
  {
    code: "hr-pension",
    name: "城乡居民养老保险待遇领取人员信息",
    bureau: "human-resources",
    base: "population",
    format: "csv",
    keyColumn: "人员编号",
    recordId: ["YL", 10],
    share: 0.04,
    eligible: (p) => p.age >= 60 && p.citizen.idType === "resident_id",
    columns: [
      to("姓名", "name"),
      to("身份证号码", "idNumber"),
      to("性别", "gender"),
      to("出生日期", "birthDate"),
      to("居住地址", "address"),
      to("联系电话", "phone"),
      extra("领取状态", (rng) => (rng.chance(0.97) ? "正常领取" : "暂停领取")),
      extra("月领取金额", (rng) => (rng.int(25_000, 480_000) / 100).toFixed(2)),
    ],
    date: "slash",
    gender: "text",
    phone: [
      ["plain", 7],
      ["dashed", 3],
    ],
    address: "full",
    vocabulary: "full",
    errors: { missingPhone: 0.12 },
  },
  {
    code: "health-birth",
    name: "出生医学证明信息",
    bureau: "health",
    base: "population",
    format: "csv",
    keyColumn: "出生医学证明编号",
    recordId: ["T", 9],
    share: 0.03,
    eligible: (p) => p.age <= 15,
    columns: [
      to("新生儿姓名", "name"),
      to("性别", "gender"),
      to("出生日期", "birthDate"),
      to("新生儿公民身份号码", "idNumber"),
      extra("出生地点", (rng) =>
        rng.pick(["广州市云溪区人民医院", "广州市云溪区妇幼保健院", "广州市云溪区中医医院"]),
      ),
      extra("母亲姓名", (rng, p, households) => households.parents(rng, p).mother),
      extra("父亲姓名", (rng, p, households) => households.parents(rng, p).father),
      to("家庭住址", "address"),
    ],
    date: "chinese",
    gender: "text",
    phone: PLAIN,
    address: "full",
    vocabulary: "full",
    // Certificates are signed before the baby's hukou exists; only joint-service births carry an ID.
    errors: { missingId: 0.3, missingAddress: 0.03 },
  },
  {
    code: "ca-subsistence",
    name: "最低生活保障对象信息",
    bureau: "civil-affairs",
    base: "population",
    format: "csv",
    keyColumn: "救助证编号",
    recordId: ["DB", 8],
    share: 0.01,
    eligible: (p) => p.localHukou,
    columns: [
      to("对象姓名", "name"),
      to("身份证号码", "idNumber"),
      to("性别", "gender"),
      to("出生日期", "birthDate"),
      to("婚姻状况", "maritalStatus"),
      to("家庭住址", "address"),
      to("户籍地址", "householdAddress"),
      to("联系电话", "phone"),
      extra("保障人数", (rng) => rng.int(1, 4)),
      extra("月保障金额", (rng) => rng.int(11, 48) * 100),
    ],
    date: "iso",
    gender: "text",
    phone: PLAIN,
    address: "full",
    vocabulary: "full",
    errors: {},
  },
  {
    code: "dpf-disabled",
    name: "残疾人基本信息",
    bureau: "disabled-persons",
    base: "population",
    format: "csv",
    keyColumn: "档案编号",
    recordId: ["CL", 8],
    share: 0.01,
    eligible: (p) => p.citizen.idType === "resident_id",
    columns: [
      to("姓名", "name"),
      to("身份证号", "idNumber"),
      extra("残疾人证号", (rng, p) => `${p.citizen.idNumber}${rng.int(1, 7)}${rng.int(1, 4)}`),
      to("性别", "gender"),
      to("出生日期", "birthDate"),
      extra("残疾类别", (rng) => rng.pick(["视力", "听力", "言语", "肢体", "智力", "精神", "多重"])),
      extra("残疾等级", (rng) => rng.pick(["一级", "二级", "三级", "四级"])),
      to("文化程度", "education"),
      to("联系电话", "phone"),
      to("居住地址", "address"),
    ],
    date: "iso",
    gender: "text",
    phone: PLAIN,
    address: "full",
    vocabulary: "full",
    errors: {},
  },
];

/** The legal-person sources. */
export const ENTERPRISE_PLANS: readonly EnterprisePlan[] = [
  {
    code: "mr-enterprise",
    name: "市场主体登记基本信息",
    bureau: "market-regulation",
    base: "legalPerson",
    format: "csv",
    keyColumn: "主体身份代码",
    recordId: ["44012000", 10],
    share: 0.45,
    eligible: () => true,
    columns: [
      to("统一社会信用代码", "uscc"),
      to("企业名称", "name"),
      extra("市场主体类型", (_, f) => f.enterprise.kind),
      to("法定代表人", "legalRepresentative"),
      to("注册资本", "registeredCapital"),
      to("成立日期", "establishedDate"),
      to("住所", "address"),
      to("行业门类", "industry"),
      to("登记状态", "status"),
      to("联系电话", "phone"),
      extra("核准日期", (rng, f) => dayBetween(rng, f.enterprise.establishedOn, "2025-12-31")),
    ],
    date: "iso",
    phone: PLAIN,
    address: "full",
    capital: "wanYuanRmb",
    industry: "full",
    status: { active: "存续（在营、开业、在册）", cancelled: "注销", revoked: "吊销，未注销" },
    errors: {
      usccTypo: 0.002,
      representativeTypo: 0.002,
      nameTypo: 0,
      fullWidth: 0,
      missingUscc: 0,
      missingPhone: 0.15,
    },
  },
  {
    code: "tax-taxpayer",
    name: "纳税人登记信息",
    bureau: "taxation",
    base: "legalPerson",
    format: "csv",
    keyColumn: "登记序号",
    recordId: ["DJ", 12],
    share: 0.28,
    eligible: () => true,
    columns: [
      to("纳税人识别号", "uscc"),
      to("纳税人名称", "name"),
      to("法定代表人（负责人）姓名", "legalRepresentative"),
      to("注册资本", "registeredCapital"),
      to("开业日期", "establishedDate"),
      to("生产经营地址", "address"),
      to("行业", "industry"),
      to("纳税人状态", "status"),
      to("联系电话", "phone"),
      extra("主管税务所", (rng) => `国家税务总局广州市云溪区税务局第${rng.pick(["一", "二", "三"])}税务所`),
      extra("纳税信用级别", (rng) =>
        rng.weighted([
          ["A", 2],
          ["B", 5],
          ["M", 4],
          ["C", 1],
          ["D", 0.3],
        ]),
      ),
    ],
    date: "slash",
    phone: [
      ["plain", 1],
      ["dashed", 1],
    ],
    address: "full",
    capital: "yuan",
    industry: "name",
    status: { active: "正常", cancelled: "注销", revoked: "非正常" },
    fresh: true,
    errors: { halfWidthBrackets: 0.2, oldIndividualName: 0.3 },
  },
  {
    code: "hr-employer",
    name: "社会保险参保单位信息",
    bureau: "human-resources",
    base: "legalPerson",
    format: "csv-gbk",
    keyColumn: "AAB001",
    recordId: ["44012", 8],
    share: 0.12,
    eligible: (f) => f.employs,
    columns: [
      to("AAB004", "name"),
      to("AAB003", "uscc"),
      to("AAB013", "legalRepresentative"),
      to("AAE006", "address"),
      to("AAE005", "phone"),
      extra("AAB019", (_, f) => (f.enterprise.kind === "个体工商户" ? "个体工商户" : "企业")),
      extra("AAE036", (rng, f) =>
        formatDate(dayBetween(rng, f.enterprise.establishedOn, "2025-12-31"), "compact"),
      ),
    ],
    date: "compact",
    phone: PLAIN,
    address: "noCity",
    errors: {
      halfWidthBrackets: 0.4,
      whitespace: 0.03,
      traditional: 0.03,
      usccTypo: 0.02,
      missingUscc: 0.03,
      representativeTypo: 0.02,
    },
  },
  {
    code: "stats-directory",
    name: "统计调查单位名录库",
    bureau: "statistics",
    base: "legalPerson",
    format: "ndjson",
    keyColumn: "xh",
    recordId: ["ML", 10],
    share: 0.15,
    eligible: (f) => f.surveyed,
    columns: [
      to("tyshxydm", "uscc"),
      to("dwmc", "name"),
      to("fddbr", "legalRepresentative"),
      to("zczb", "registeredCapital"),
      to("clrq", "establishedDate"),
      to("dwdz", "address"),
      to("hydm", "industry"),
      to("yyzt", "status"),
      to("lxdh", "phone"),
      extra("dwlx", (_, f) => f.enterprise.kind),
      extra("cyrs", (rng, f) => (f.enterprise.kind === "个体工商户" ? rng.int(1, 5) : rng.int(3, 300))),
    ],
    missing: "null",
    date: "chinese",
    phone: [
      ["dashed", 1],
      ["plain", 1],
    ],
    address: "full",
    capital: "wanYuan",
    industry: "letter",
    status: { active: "营业", cancelled: "注销", revoked: "吊销" },
    fresh: true,
    errors: { lowercaseUscc: 0.02, usccTypo: 0.01, whitespace: 0.05, representativeTypo: 0.01 },
  },
];

// ---------------------------------------------------------------------------------------------------
// Rendering one record.

/** A rendered record: canonical field → the value as the source writes it (null: left empty). */
export type Values = Record<string, string | null>;

/**
 * A plan's settings for rendering records, in one fixed shape: the per-record code then meets a single
 * object layout whichever source it renders, and the engine keeps it optimised across sources.
 */
export interface PersonRendering {
  fields: ReadonlySet<string>;
  errors: PersonErrors;
  date: DateStyle;
  gender: GenderStyle;
  phone: Weighted<PhoneStyle>;
  address: AddressStyle;
  short: boolean;
  fresh: boolean;
  marital: Partial<Record<MaritalStatus, string>>;
}

/** The rendering settings of a population plan. */
export function personRendering(plan: PersonPlan): PersonRendering {
  return {
    fields: new Set(plan.columns.flatMap((c) => (c.field ? [c.field] : []))),
    errors: { ...PERSON_ERRORS, ...plan.errors },
    date: plan.date,
    gender: plan.gender,
    phone: plan.phone,
    address: plan.address,
    short: plan.vocabulary === "short",
    fresh: plan.fresh ?? false,
    marital: plan.marital ?? {},
  };
}

function renderIdNumber(rng: Random, errors: PersonErrors, p: Person): string | null {
  if (rng.chance(errors.missingId)) return null;
  let id = p.citizen.idNumber;
  if (p.citizen.idType !== "resident_id") return id;
  if (p.birthYear < 1980 && rng.chance(errors.legacyId)) return legacyId(id);
  // Only resident IDs are mistyped here: their check character makes the mistake detectable.
  if (rng.chance(errors.idTypo)) id = mistypeCitizenId(rng, id);
  if (id.endsWith("X") && rng.chance(errors.lowercaseX)) id = `${id.slice(0, -1)}x`;
  return id;
}

/** A person's record as the source writes it, with the source's errors drawn. */
export function renderPerson(rng: Random, r: PersonRendering, p: Person): Values {
  const { fields, errors } = r;
  const c = p.citizen;
  // Every field in a fixed order, so all records share one layout.
  const values: Values = {
    name: null,
    idNumber: null,
    gender: null,
    birthDate: null,
    phone: null,
    address: null,
    householdAddress: null,
    ethnicity: null,
    maritalStatus: null,
    education: null,
    employer: null,
  };
  const inTraditional = errors.traditional > 0 && rng.chance(errors.traditional);
  const widePhone = rng.chance(errors.fullWidth);
  const wideId = !widePhone && rng.chance(errors.fullWidth);

  if (fields.has("name")) {
    let name = rng.chance(errors.nameTypo) ? typoName(rng, c.name) : c.name;
    if (inTraditional) name = traditional(name);
    values.name = name;
  }
  if (fields.has("idNumber")) {
    const id = renderIdNumber(rng, errors, p);
    values.idNumber = id && wideId ? fullWidth(id) : id;
  }
  if (fields.has("gender")) values.gender = formatGender(c.gender, r.gender);
  if (fields.has("birthDate")) values.birthDate = formatDate(c.birthDate, r.date);
  if (fields.has("phone")) {
    // Older systems still hold the number some people had before.
    const number = p.oldPhone && !r.fresh && rng.chance(0.5) ? p.oldPhone : c.phone;
    const phone = rng.chance(errors.missingPhone) ? null : formatPhone(number, rng.weighted(r.phone));
    values.phone = phone && widePhone ? fullWidth(phone) : phone;
  }
  if (fields.has("address")) {
    const current = r.fresh && p.movedTo ? p.movedTo : c.address;
    const address = rng.chance(errors.missingAddress) ? null : formatAddress(current, r.address);
    values.address = address && inTraditional ? traditional(address) : address;
  }
  if (fields.has("householdAddress")) {
    const household = p.householdAddress && formatAddress(p.householdAddress, r.address);
    values.householdAddress = household && inTraditional ? traditional(household) : household;
  }
  if (fields.has("ethnicity"))
    values.ethnicity = p.ethnicity && r.short ? p.ethnicity.replace(/族$/, "") : p.ethnicity;
  if (fields.has("maritalStatus")) values.maritalStatus = r.marital[p.maritalStatus] ?? p.maritalStatus;
  if (fields.has("education"))
    values.education = p.education && r.short ? SHORT_EDUCATION[p.education] : p.education;
  if (fields.has("employer")) values.employer = p.employer;
  return values;
}

/** The second record of a duplicated person differs slightly: entered by another clerk, another day. */
export function perturbPerson(rng: Random, values: Values): void {
  const choice = rng.int(0, 3);
  if (choice === 0 && values.phone) values.phone = null;
  else if (choice === 1 && values.address) values.address = formatAddress(values.address, "noCity");
  else if (choice === 2 && values.name && values.name.length === 3 && !values.name.includes(" "))
    values.name = `${values.name.slice(0, 1)} ${values.name.slice(1)}`;
  else if (values.name) values.name = `${values.name} `;
}

/** A legal-person plan's settings for rendering records, in one fixed shape (see PersonRendering). */
export interface EnterpriseRendering {
  fields: ReadonlySet<string>;
  errors: EnterpriseErrors;
  date: DateStyle;
  phone: Weighted<PhoneStyle>;
  address: AddressStyle;
  capital: CapitalStyle;
  industry: IndustryStyle;
  status: Record<FirmStatus, string> | null;
  fresh: boolean;
}

/** The rendering settings of a legal-person plan. */
export function enterpriseRendering(plan: EnterprisePlan): EnterpriseRendering {
  return {
    fields: new Set(plan.columns.flatMap((c) => (c.field ? [c.field] : []))),
    errors: { ...ENTERPRISE_ERRORS, ...plan.errors },
    date: plan.date,
    phone: plan.phone,
    address: plan.address,
    capital: plan.capital ?? "yuan",
    industry: plan.industry ?? "full",
    status: plan.status ?? null,
    fresh: plan.fresh ?? false,
  };
}

/** An enterprise's record as the source writes it, with the source's errors drawn. */
export function renderEnterprise(rng: Random, r: EnterpriseRendering, f: Firm): Values {
  const { fields, errors } = r;
  const e = f.enterprise;
  const values: Values = {
    name: null,
    uscc: null,
    legalRepresentative: null,
    registeredCapital: null,
    establishedDate: null,
    address: null,
    industry: null,
    status: null,
    phone: null,
  };
  const inTraditional = errors.traditional > 0 && rng.chance(errors.traditional);

  if (fields.has("name")) {
    let name = e.name;
    if (e.kind === "个体工商户" && rng.chance(errors.oldIndividualName))
      name = name.replace("（个体工商户）", "");
    if (rng.chance(errors.nameTypo)) name = typoName(rng, name, name.indexOf(DISTRICT) + 1);
    if (rng.chance(errors.halfWidthBrackets)) name = halfWidthBrackets(name);
    if (rng.chance(errors.whitespace)) name = strayWhitespace(rng, name);
    values.name = inTraditional ? traditional(name) : name;
  }
  if (fields.has("uscc")) {
    let uscc: string | null = e.uscc;
    if (rng.chance(errors.missingUscc)) uscc = null;
    else {
      if (rng.chance(errors.usccTypo)) uscc = mistypeUscc(rng, uscc);
      if (rng.chance(errors.lowercaseUscc)) uscc = uscc.toLowerCase();
      if (rng.chance(errors.fullWidth)) uscc = fullWidth(uscc);
    }
    values.uscc = uscc;
  }
  if (fields.has("legalRepresentative")) {
    const rep = rng.chance(errors.representativeTypo) ? typoName(rng, e.legalRepName) : e.legalRepName;
    values.legalRepresentative = inTraditional ? traditional(rep) : rep;
  }
  if (fields.has("registeredCapital"))
    values.registeredCapital = formatCapital(e.registeredCapitalFen, r.capital);
  if (fields.has("establishedDate")) values.establishedDate = formatDate(e.establishedOn, r.date);
  if (fields.has("address")) {
    const current = r.fresh && f.movedTo ? f.movedTo : e.address;
    const address = rng.chance(errors.missingAddress) ? null : formatAddress(current, r.address);
    values.address = address && inTraditional ? traditional(address) : address;
  }
  if (fields.has("industry")) values.industry = formatIndustry(e.industry, r.industry);
  if (fields.has("status")) values.status = r.status?.[f.status] ?? null;
  if (fields.has("phone"))
    values.phone = rng.chance(errors.missingPhone) ? null : formatPhone(e.phone, rng.weighted(r.phone));
  return values;
}

/** The second record of a duplicated enterprise: without a phone, with other spacing, or a shorter address. */
export function perturbEnterprise(rng: Random, values: Values): void {
  const choice = rng.int(0, 2);
  if (choice === 0 && values.phone) values.phone = null;
  else if (choice === 1 && values.name) values.name = halfWidthBrackets(strayWhitespace(rng, values.name));
  else if (values.address) values.address = formatAddress(values.address, "noCity");
}
