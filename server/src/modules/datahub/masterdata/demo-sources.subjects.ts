/**
 * The people and enterprises behind the demo sources: the demo district's citizens and enterprises with
 * what the district does not carry (ethnicity, marital status, education, employer, household
 * registration, a newer address; an enterprise's status and operating address). Part of demo-sources.ts.
 */
import { chineseName } from "../../../demo/names";
import type { CommunityPlace } from "../../../demo/organisation";
import { CITY, DISTRICT, DISTRICT_CODE } from "../../../demo/places";
import { Random, type Weighted } from "../../../demo/random";
import type { DemoCitizen, DemoEnterprise } from "../../../demo/types";
import { ageOn } from "./demo-sources.values";

/** GB/T 2261.2 marital status. */
export type MaritalStatus = "未婚" | "已婚" | "离婚" | "丧偶";
/** Registration status: in business, deregistered (注销) or licence revoked (吊销). */
export type FirmStatus = "active" | "cancelled" | "revoked";

/** A citizen with everything a department may record about them. */
export interface Person {
  citizen: DemoCitizen;
  age: number;
  birthYear: number;
  /** null for foreigners. */
  ethnicity: string | null;
  maritalStatus: MaritalStatus;
  /** GB/T 4658 wording; null before school age. */
  education: Education | null;
  employer: string | null;
  /** 户籍地址; null for holders of non-mainland documents. */
  householdAddress: string | null;
  /** Whether the household registration is in the district. */
  localHukou: boolean;
  /** A newer address the household moved to (about 5 % of households), shown by the fresher sources. */
  movedTo: string | null;
  /** A number given up since (about 8 % of people), still on file in older sources. */
  oldPhone: string | null;
}

/** An enterprise with what the registers beyond market regulation know about it. */
export interface Firm {
  enterprise: DemoEnterprise;
  status: FirmStatus;
  /** Where the business actually operates now, when it left its registered address (about 4 %). */
  movedTo: string | null;
  /** Has staff on the social insurance register. */
  employs: boolean;
  /** Is in the statistics bureau's survey frame. */
  surveyed: boolean;
}

const ETHNIC_MINORITIES: Weighted<string> = [
  ["壮族", 30],
  ["瑶族", 10],
  ["土家族", 12],
  ["苗族", 10],
  ["回族", 8],
  ["满族", 8],
  ["畲族", 5],
  ["侗族", 6],
  ["彝族", 4],
  ["蒙古族", 3],
  ["朝鲜族", 2],
  ["黎族", 2],
];

/** Highest education, GB/T 4658 wording. */
export type Education =
  | "研究生"
  | "大学本科"
  | "大学专科"
  | "中等专科"
  | "高中"
  | "初中"
  | "小学"
  | "文盲或半文盲";

/** Highest education of adults by birth cohort, roughly Guangzhou's 2020 census. */
// biome-ignore format: one cohort per row
const EDUCATION_BY_COHORT: readonly (readonly [number, Weighted<Education>])[] = [
  [1985, [["研究生", 6], ["大学本科", 30], ["大学专科", 22], ["高中", 15], ["中等专科", 10], ["初中", 15], ["小学", 2]]],
  [1965, [["研究生", 3], ["大学本科", 15], ["大学专科", 15], ["高中", 20], ["中等专科", 12], ["初中", 28], ["小学", 7]]],
  [0, [["研究生", 1], ["大学本科", 6], ["大学专科", 7], ["高中", 18], ["中等专科", 6], ["初中", 30], ["小学", 25], ["文盲或半文盲", 7]]],
];

/** The short wording some systems use: 本科, 大专, 中专. */
export const SHORT_EDUCATION: Record<Education, string> = {
  研究生: "研究生",
  大学本科: "本科",
  大学专科: "大专",
  中等专科: "中专",
  高中: "高中",
  初中: "初中",
  小学: "小学",
  文盲或半文盲: "文盲",
};

/** Employers outside the business register: schools, hospitals, the administration itself. */
const PUBLIC_EMPLOYERS = [
  "广州市云溪区人民医院",
  "广州市云溪区妇幼保健院",
  "广州市云溪区中医医院",
  "广州市云溪区第一中学",
  "广州市云溪区实验小学",
  "广州市云溪区人民政府",
  "广州市云溪区环境卫生管理所",
  "广州地铁集团有限公司",
  "中国南方电网有限责任公司广州供电局",
  "广州市公共交通集团有限公司",
];

// biome-ignore format: a lookup table reads better in rows
const PROVINCES: Record<string, string> = {
  "11": "北京市", "13": "河北省", "14": "山西省", "21": "辽宁省", "22": "吉林省", "23": "黑龙江省", "31": "上海市",
  "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省", "41": "河南省",
  "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省", "50": "重庆市",
  "51": "四川省", "52": "贵州省", "53": "云南省", "61": "陕西省", "62": "甘肃省", "65": "新疆维吾尔自治区",
};

/** Prefectures of the birth regions the demo uses; the municipalities (11, 31, 50) name a district. */
// biome-ignore format: a lookup table reads better in rows
const CITIES: Record<string, string> = {
  "1101": "朝阳区", "3101": "浦东新区", "5001": "渝中区",
  "1301": "石家庄市", "1401": "太原市", "2101": "沈阳市", "2201": "长春市", "2301": "哈尔滨市", "3201": "南京市",
  "3301": "杭州市", "3401": "合肥市", "3501": "福州市", "3601": "南昌市", "3607": "赣州市", "3701": "济南市",
  "4101": "郑州市", "4201": "武汉市", "4301": "长沙市", "4310": "郴州市", "4501": "南宁市", "4503": "桂林市",
  "4601": "海口市", "5101": "成都市", "5201": "贵阳市", "5301": "昆明市", "6101": "西安市", "6201": "兰州市",
  "6501": "乌鲁木齐市",
  "4403": "深圳市", "4404": "珠海市", "4405": "汕头市", "4406": "佛山市", "4407": "江门市", "4408": "湛江市",
  "4409": "茂名市", "4412": "肇庆市", "4413": "惠州市", "4414": "梅州市", "4415": "汕尾市", "4416": "河源市",
  "4417": "阳江市", "4418": "清远市", "4419": "东莞市", "4420": "中山市", "4451": "潮州市", "4452": "揭阳市",
  "4453": "云浮市",
};

// biome-ignore format: a lookup table reads better in rows
const GUANGZHOU_DISTRICTS: Record<string, readonly [district: string, road: string]> = {
  "440103": ["荔湾区", "中山八路"], "440104": ["越秀区", "环市东路"], "440105": ["海珠区", "江南大道中"],
  "440106": ["天河区", "天河路"], "440111": ["白云区", "广园中路"], "440112": ["黄埔区", "大沙地东"],
  "440113": ["番禺区", "市桥街"], "440114": ["花都区", "新华路"], "440118": ["增城区", "荔城大道"],
};

const TOWNS = "城关 新塘 石门 大坪 龙田 白沙 太平 长安 和平 东山 黄岗 马坝".split(" ");
const VILLAGES = "上坑 下围 新屋 东坑 高塘 大岭 石桥 田心 塘尾 水口 禾坪 竹园".split(" ");

/** Where someone registered elsewhere has their hukou: the region their ID number names. */
function hometownAddress(rng: Random, idNumber: string): string {
  const region = idNumber.slice(0, 6);
  const guangzhou = GUANGZHOU_DISTRICTS[region];
  if (guangzhou)
    return `${CITY}${guangzhou[0]}${guangzhou[1]}${rng.int(1, 300)}号${rng.int(1, 30)}0${rng.int(1, 6)}房`;
  const province = PROVINCES[region.slice(0, 2)] ?? "";
  const city = CITIES[region.slice(0, 4)] ?? "";
  return `${province}${city}${rng.pick(TOWNS)}镇${rng.pick(VILLAGES)}村${rng.int(1, 120)}号`;
}

/** A home in the district, in the style of the demo generator's addresses. */
function districtHome(rng: Random, communities: readonly CommunityPlace[]): string {
  const community = rng.pick(communities);
  const street = `${CITY}${DISTRICT}${community.subdistrictName}${rng.pick(community.roads)}${rng.int(1, 388)}号`;
  const floor = rng.int(2, 33);
  return `${street}${rng.pick(community.estates)}${rng.int(1, 12)}栋${floor}${String(rng.int(1, 8)).padStart(2, "0")}房`;
}

function businessPremises(rng: Random, communities: readonly CommunityPlace[]): string {
  const community = rng.pick(communities);
  const room = `${rng.int(1, 30)}${String(rng.int(1, 20)).padStart(2, "0")}`;
  return `${CITY}${DISTRICT}${rng.pick(community.roads)}${rng.int(1, 388)}号${rng.int(1, 6)}栋${room}室`;
}

function maritalStatusFor(rng: Random, age: number): MaritalStatus {
  if (age < 20) return "未婚";
  const r = rng.next();
  if (age < 25) return r < 0.15 ? "已婚" : "未婚";
  if (age < 30) return r < 0.5 ? "已婚" : r < 0.52 ? "离婚" : "未婚";
  if (age < 35) return r < 0.75 ? "已婚" : r < 0.79 ? "离婚" : "未婚";
  if (age < 60) return r < 0.85 ? "已婚" : r < 0.91 ? "离婚" : r < 0.93 ? "丧偶" : "未婚";
  if (age < 75) return r < 0.8 ? "已婚" : r < 0.84 ? "离婚" : r < 0.96 ? "丧偶" : "未婚";
  return r < 0.55 ? "已婚" : r < 0.57 ? "离婚" : r < 0.98 ? "丧偶" : "未婚";
}

function educationFor(rng: Random, age: number, birthYear: number): Education | null {
  if (age < 7) return null;
  if (age < 13) return "小学";
  if (age < 16) return "初中";
  if (age < 19) return rng.chance(0.75) ? "高中" : "中等专科";
  const cohort = EDUCATION_BY_COHORT.find(([from]) => birthYear >= from)![1];
  return rng.weighted(cohort);
}

function employmentRate(age: number): number {
  if (age < 18) return 0;
  if (age < 25) return 0.6;
  if (age < 55) return 0.85;
  if (age < 60) return 0.6;
  if (age < 65) return 0.25;
  return 0;
}

/** Prefixes of the numbers people had before their current one (no 16x/17x/19x yet). */
const OLD_MOBILE_PREFIXES = [
  "133",
  "135",
  "136",
  "137",
  "138",
  "139",
  "150",
  "153",
  "158",
  "159",
  "186",
  "189",
];

interface PeopleContext {
  /** One stream for all profiles, drawn in the order of the citizens. */
  rng: Random;
  communities: readonly CommunityPlace[];
  /** Legal representative's idNumber → the name of the (first active) business they run. */
  ownBusiness: ReadonlyMap<string, string>;
  employers: readonly string[];
  /** Address → the household's new address, or null; households move together. */
  moves: Map<string, string | null>;
}

function movedAddress(context: PeopleContext, address: string): string | null {
  let moved = context.moves.get(address);
  if (moved === undefined) {
    moved = context.rng.chance(0.05) ? districtHome(context.rng, context.communities) : null;
    context.moves.set(address, moved);
  }
  return moved;
}

function profilePerson(context: PeopleContext, citizen: DemoCitizen): Person {
  const rng = context.rng;
  const age = ageOn(citizen.birthDate);
  const birthYear = Number(citizen.birthDate.slice(0, 4));
  const mainland = citizen.idType === "resident_id";
  const province = citizen.idNumber.slice(0, 2);

  let ethnicity: string | null = null;
  if (citizen.idType !== "foreign_passport") {
    const minorityShare = province === "45" ? 0.3 : province === "43" || province === "52" ? 0.1 : 0.03;
    ethnicity = rng.chance(minorityShare) ? rng.weighted(ETHNIC_MINORITIES) : "汉族";
    if (province === "45" && ethnicity !== "汉族" && rng.chance(0.7)) ethnicity = "壮族";
  }

  // Born in the district: registered at home, or (one in five) still at an older family address.
  // Born elsewhere: a quarter have moved their registration here (积分入户), the rest keep their hometown's.
  let householdAddress: string | null = null;
  let localHukou = false;
  if (mainland) {
    const bornHere = citizen.idNumber.startsWith(DISTRICT_CODE);
    localHukou = bornHere || rng.chance(0.25);
    if (!localHukou) householdAddress = hometownAddress(rng, citizen.idNumber);
    else householdAddress = rng.chance(0.8) ? citizen.address : districtHome(rng, context.communities);
  }

  let employer: string | null = context.ownBusiness.get(citizen.idNumber) ?? null;
  if (!employer && rng.chance(employmentRate(age))) employer = rng.pick(context.employers);

  return {
    citizen,
    age,
    birthYear,
    ethnicity,
    maritalStatus: maritalStatusFor(rng, age),
    education: educationFor(rng, age, birthYear),
    employer,
    householdAddress,
    localHukou,
    movedTo: movedAddress(context, citizen.address),
    oldPhone: rng.chance(0.08) ? rng.pick(OLD_MOBILE_PREFIXES) + rng.digits(8) : null,
  };
}

/** An enterprise's status, current premises and presence in the insurance and statistics registers. */
export function profileFirm(
  rng: Random,
  enterprise: DemoEnterprise,
  communities: readonly CommunityPlace[],
): Firm {
  const old = enterprise.establishedOn < "2018-01-01";
  const r = rng.next();
  const status: FirmStatus =
    r < (old ? 0.12 : 0.06) ? "cancelled" : r < (old ? 0.17 : 0.07) ? "revoked" : "active";
  const individual = enterprise.kind === "个体工商户";
  return {
    enterprise,
    status,
    movedTo: rng.chance(0.04) ? businessPremises(rng, communities) : null,
    employs: status === "active" && (!individual || rng.chance(0.25)),
    surveyed: !individual || rng.chance(0.5),
  };
}

/** The district's households, for the guardian columns of children's records. */
export class Households {
  private adultsByAddress: Map<string, DemoCitizen[]> | null = null;

  constructor(private readonly people: readonly Person[]) {}

  /** A child's parents: the first woman and man at the same address old enough to be; else invented. */
  parents(rng: Random, child: Person): { mother: string; father: string; phone: string } {
    this.adultsByAddress ??= this.indexAdults();
    const latest = child.birthYear - 18;
    let mother: DemoCitizen | undefined;
    let father: DemoCitizen | undefined;
    for (const adult of this.adultsByAddress.get(child.citizen.address) ?? []) {
      if (Number(adult.birthDate.slice(0, 4)) > latest) continue;
      if (adult.gender === "female") mother ??= adult;
      else father ??= adult;
    }
    const surname = child.citizen.name.slice(0, 1);
    return {
      mother: mother?.name ?? chineseName(rng, "female", child.birthYear - 28),
      father: father?.name ?? chineseName(rng, "male", child.birthYear - 30, surname),
      phone: (mother ?? father)?.phone ?? `13${rng.digits(9)}`,
    };
  }

  private indexAdults(): Map<string, DemoCitizen[]> {
    const map = new Map<string, DemoCitizen[]>();
    for (const { citizen, age } of this.people) {
      if (age < 18) continue;
      const list = map.get(citizen.address);
      if (list) list.push(citizen);
      else map.set(citizen.address, [citizen]);
    }
    return map;
  }
}

/**
 * Profiles of all citizens, drawn from one stream in the citizens' order, so the same citizens give the
 * same profiles whichever sources are generated.
 */
export function profilePeople(
  seed: number,
  citizens: readonly DemoCitizen[],
  firms: readonly Firm[],
  communities: readonly CommunityPlace[],
): Person[] {
  const ownBusiness = new Map<string, string>();
  for (const f of firms)
    if (f.status === "active" && !ownBusiness.has(f.enterprise.legalRepIdNumber))
      ownBusiness.set(f.enterprise.legalRepIdNumber, f.enterprise.name);
  // Shops rarely employ anyone but their keeper; companies and public bodies employ the rest.
  const companies = firms
    .filter((f) => f.employs && f.enterprise.kind !== "个体工商户")
    .map((f) => f.enterprise.name);
  const employers = [
    ...companies,
    ...PUBLIC_EMPLOYERS.flatMap((e) => Array(Math.max(1, companies.length >> 5)).fill(e)),
  ];
  const rng = Random.derive(seed, "demo-sources/people");
  const context: PeopleContext = { rng, communities, ownBusiness, employers, moves: new Map() };
  return citizens.map((c) => profilePerson(context, c));
}
