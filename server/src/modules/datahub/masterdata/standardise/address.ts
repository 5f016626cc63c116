/**
 * Splits a Chinese street address into its administrative and postal parts, tuned for Guangzhou
 * addresses such as 广东省广州市云溪区花城街道花城大道123号4栋501房.
 *
 * The parser partitions the text: every character lands in exactly one part, in the order
 * province, city, district, subDistrict, road, number, rest, building, room. `formatAddress` joins
 * the parts in that same order, so `formatAddress(parseAddress(s)) === s` for any input.
 */

/** The parts of an address. Only the parts found are present. */
export interface AddressParts {
  /** 省 / 自治区 / 特别行政区, or a municipality (北京市, 上海市, 天津市, 重庆市). */
  province?: string;
  /** Prefecture-level 市 / 自治州 / 地区 / 盟. */
  city?: string;
  /** County level: 区 / 县 / 旗, or a county-level 市 after a city. */
  district?: string;
  /** 街道 / 街 / 镇 / 乡, followed by a 社区 / 居委会 / 村委会 when one is given. */
  subDistrict?: string;
  /** 路 / 大道 / 街 / 巷 / 里 …, with any lane after it (北京路步行街, 某某大街一巷). */
  road?: string;
  /** 门牌号: 123号, 123号之一, 88-1号. */
  number?: string;
  /** 栋 / 座 / 幢 / 号楼, with the 单元 when given: 3栋2单元. */
  building?: string;
  /** 501房, 501室, or bare digits after a building. */
  room?: string;
  /** Whatever sits between the number and the building: an estate or building name (某某花园). */
  rest?: string;
}

const PROVINCE_NAMES = [
  "河北省",
  "山西省",
  "辽宁省",
  "吉林省",
  "黑龙江省",
  "江苏省",
  "浙江省",
  "安徽省",
  "福建省",
  "江西省",
  "山东省",
  "河南省",
  "湖北省",
  "湖南省",
  "广东省",
  "海南省",
  "四川省",
  "贵州省",
  "云南省",
  "陕西省",
  "甘肃省",
  "青海省",
  "台湾省",
  "内蒙古自治区",
  "广西壮族自治区",
  "西藏自治区",
  "宁夏回族自治区",
  "新疆维吾尔自治区",
  "北京市",
  "天津市",
  "上海市",
  "重庆市",
  "香港特别行政区",
  "澳门特别行政区",
];

// Short forms (广东广州市…) only count when a city follows, so 北京路 or 广东路 stay roads; the
// municipalities have no short form for the same reason.
const PROVINCE_SHORT_NAMES = [
  "黑龙江",
  "内蒙古",
  "河北",
  "山西",
  "辽宁",
  "吉林",
  "江苏",
  "浙江",
  "安徽",
  "福建",
  "江西",
  "山东",
  "河南",
  "湖北",
  "湖南",
  "广东",
  "海南",
  "四川",
  "贵州",
  "云南",
  "陕西",
  "甘肃",
  "青海",
  "台湾",
  "广西",
  "西藏",
  "宁夏",
  "新疆",
];

/** Prefecture-level cities of Guangdong, recognised even when no province precedes them. */
const KNOWN_CITIES = [
  "广州市",
  "深圳市",
  "珠海市",
  "汕头市",
  "佛山市",
  "韶关市",
  "湛江市",
  "肇庆市",
  "江门市",
  "茂名市",
  "惠州市",
  "梅州市",
  "汕尾市",
  "河源市",
  "阳江市",
  "清远市",
  "东莞市",
  "中山市",
  "潮州市",
  "揭阳市",
  "云浮市",
];

// Characters that end or belong to another part, so a name of one level never swallows the next.
const NAME = "[^\\d\\s市区县旗路街道号镇乡巷栋座幢室房]";
const CITY_SUFFIX = "(?:市|自治州|地区|盟)";

const PROVINCE = new RegExp(
  `(?:${PROVINCE_NAMES.join("|")}|(?:${PROVINCE_SHORT_NAMES.join("|")})(?=${NAME}{1,6}?${CITY_SUFFIX}))`,
  "y",
);
const KNOWN_CITY = new RegExp(`(?:${KNOWN_CITIES.join("|")})`, "y");
// After a province any name ending in 市/州/盟 is a city; without one, a district must follow, so
// that an estate such as 城市花园 is not read as a city.
const CITY_AFTER_PROVINCE = new RegExp(`${NAME}{2,7}?${CITY_SUFFIX}(?!场)`, "y");
const CITY_BEFORE_DISTRICT = new RegExp(`${NAME}{2,7}?${CITY_SUFFIX}(?=${NAME}{1,8}?(?:区|县|旗))`, "y");
// 小区, 社区, 园区 … end in 区 but are not districts.
const DISTRICT = new RegExp(`${NAME}{1,8}?(?<![小社校园景片厂营])(?:区|县|旗)`, "y");
const COUNTY_CITY = new RegExp(`${NAME}{2,6}?市(?!场)`, "y");
// 街 is a sub-district only when a name follows it (花城街花城大道); before a number it is a road,
// and 大街, 横街, 直街, 步行街 are always roads.
const SUB_DISTRICT = new RegExp(`${NAME}{2,8}?(?:街道|镇|乡|(?<![大横直行])街(?=[^\\d\\s号]))`, "y");
const COMMUNITY = new RegExp(`${NAME}{1,8}?(?:社区居委会|社区|居委会|村委会)`, "y");

const ROAD_NAME = "[^\\d\\s号栋座幢室房]";
const ROAD_MAIN = new RegExp(`${ROAD_NAME}{1,15}?(?:大道|大街|路|街(?!道)|道)(?:[东南西北中](?=\\d))?`, "y");
// Lanes and alleys, when nothing better ends the road: 某某里12号, 某某坊3号.
const ROAD_MINOR = new RegExp(`${ROAD_NAME}{1,12}?(?:巷|里|坊|弄|胡同)(?=\\d)`, "y");
// A lane after a road is part of it when a house number follows: 北京路步行街12号, 某某大街一巷5号.
const ROAD_EXTENSION = new RegExp(`${ROAD_NAME}{1,8}?(?:街|巷|里|坊|弄)(?=\\d)`, "y");
const NUMBER = /\d+(?:-\d+)?号(?!楼|房)(?:之(?:\d+|[一二三四五六七八九十]+))?/y;
const BARE_NUMBER = /^\d+$/;

const BUILDING = "(?:(?:\\d+|[A-Za-z])(?:栋|座|幢|号楼)(?:\\d+单元)?|\\d+单元)";
const TAIL_WITH_BUILDING = new RegExp(`^(.*?)(${BUILDING})(\\d+(?:房|室|号房)?)?$`, "s");
const TAIL_WITH_ROOM = /^(.*?)(\d+(?:房|室|号房))$/s;

/** Matches `pattern` (sticky) at `pos`; returns the matched text or undefined. */
function matchAt(pattern: RegExp, text: string, pos: number): string | undefined {
  pattern.lastIndex = pos;
  return pattern.exec(text)?.[0];
}

/**
 * Splits an address into its parts. The input should already be standardised (NFKC, simplified,
 * no whitespace). Parts are read from the front — province, city, district, sub-district, road,
 * number — then building and room from the end; what remains in between is `rest`.
 */
export function parseAddress(text: string): AddressParts {
  const parts: AddressParts = {};
  let pos = 0;
  const take = (pattern: RegExp): string | undefined => {
    const found = matchAt(pattern, text, pos);
    if (found) pos += found.length;
    return found;
  };

  parts.province = take(PROVINCE);
  parts.city = take(KNOWN_CITY) ?? take(parts.province ? CITY_AFTER_PROVINCE : CITY_BEFORE_DISTRICT);
  parts.district = take(DISTRICT) ?? (parts.city ? take(COUNTY_CITY) : undefined);
  const subDistrict = take(SUB_DISTRICT);
  parts.subDistrict = subDistrict ? subDistrict + (take(COMMUNITY) ?? "") : undefined;
  let road = take(ROAD_MAIN) ?? take(ROAD_MINOR);
  if (road) {
    for (let lane = take(ROAD_EXTENSION); lane; lane = take(ROAD_EXTENSION)) road += lane;
  }
  parts.road = road;
  parts.number = take(NUMBER);

  const tail = text.slice(pos);
  if (road && !parts.number && BARE_NUMBER.test(tail)) {
    parts.number = tail;
  } else if (tail) {
    const withBuilding = TAIL_WITH_BUILDING.exec(tail);
    const withRoom = withBuilding ? null : TAIL_WITH_ROOM.exec(tail);
    if (withBuilding) {
      parts.rest = withBuilding[1];
      parts.building = withBuilding[2];
      parts.room = withBuilding[3];
    } else if (withRoom) {
      parts.rest = withRoom[1];
      parts.room = withRoom[2];
    } else {
      parts.rest = tail;
    }
  }
  return dropEmpty(parts);
}

const PART_ORDER = [
  "province",
  "city",
  "district",
  "subDistrict",
  "road",
  "number",
  "rest",
  "building",
  "room",
] as const satisfies readonly (keyof AddressParts)[];

function dropEmpty(parts: AddressParts): AddressParts {
  const out: AddressParts = {};
  for (const key of PART_ORDER) {
    const value = parts[key];
    if (value) out[key] = value;
  }
  return out;
}

/** Joins the parts back into one address, in the order parseAddress reads them. */
export function formatAddress(parts: AddressParts): string {
  let text = "";
  for (const key of PART_ORDER) text += parts[key] ?? "";
  return text;
}
