/**
 * How the demo sources write values, and the mistakes their data entry makes: date, phone, gender,
 * address, capital and industry styles; confusable characters, mistyped identifiers, full-width digits,
 * traditional characters, stray brackets and spaces. Part of demo-sources.ts.
 */
import * as OpenCC from "opencc-js/cn2t";
import { AS_OF, fromDayNumber, toDayNumber } from "../../../demo/dates";
import { CITY, DISTRICT } from "../../../demo/places";
import type { Random } from "../../../demo/random";
import { citizenIdCheckChar, USCC_ALPHABET, usccCheckChar } from "../../../kernel/identity/identifiers";

const [AS_OF_YEAR, AS_OF_MONTH_DAY] = [Number(AS_OF.slice(0, 4)), AS_OF.slice(5)];

/** Full years on AS_OF of someone born on an ISO date (demo/dates' ageOn, without its parsing). */
export function ageOn(birthDate: string): number {
  return AS_OF_YEAR - Number(birthDate.slice(0, 4)) - (birthDate.slice(5) > AS_OF_MONTH_DAY ? 1 : 0);
}

const isoByDay = new Map<number, string>();
const dayByIso = new Map<string, number>();

function cached<K, V>(cache: Map<K, V>, key: K, make: (key: K) => V): V {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = make(key);
  cache.set(key, value);
  return value;
}

/** Uniform day in [from, to] (ISO dates), as demo/dates' dayBetween draws it, with the conversions cached. */
export function dayBetween(rng: Random, from: string, to: string): string {
  const day = rng.int(cached(dayByIso, from, toDayNumber), cached(dayByIso, to, toDayNumber));
  return cached(isoByDay, day, fromDayNumber);
}

/** 1990-01-02, 1990/1/2, 19900102 or 1990年1月2日. */
export type DateStyle = "iso" | "slash" | "compact" | "chinese";
/** 13812345678, 138-1234-5678, 138 1234 5678 or +86 138-1234-5678. */
export type PhoneStyle = "plain" | "dashed" | "spaced" | "intl";
/** 男/女, GB/T 2261.1 codes 1/2, or M/F. */
export type GenderStyle = "text" | "code" | "letter";
/** full: 广州市云溪区…; noCity: 云溪区…; local: the part after 广州市云溪区 (how grid systems store it). */
export type AddressStyle = "full" | "noCity" | "local";
/** "100.00万元人民币", "1000000" (yuan) or "100万元". */
export type CapitalStyle = "wanYuanRmb" | "yuan" | "wanYuan";
/** "F 批发和零售业", "批发和零售业" or "F". */
export type IndustryStyle = "full" | "name" | "letter";

/** 1990-01-02, 1990/1/2, 19900102 or 1990年1月2日; works on impossible dates too. */
export function formatDate(iso: string, style: DateStyle): string {
  if (style === "iso") return iso;
  const y = iso.slice(0, 4);
  const m = iso.slice(5, 7);
  const d = iso.slice(8, 10);
  if (style === "compact") return y + m + d;
  // Month and day without their leading zeros.
  const month = m[0] === "0" ? m[1]! : m;
  const day = d[0] === "0" ? d[1]! : d;
  return style === "slash" ? `${y}/${month}/${day}` : `${y}年${month}月${day}日`;
}

/** Mobile 13812345678 or landline 020-38687290, in one of the ways people write them. */
export function formatPhone(phone: string, style: PhoneStyle): string {
  if (phone.startsWith("0")) {
    const [area, local] = phone.split("-") as [string, string];
    const spaced = `${local.slice(0, 4)} ${local.slice(4)}`;
    if (style === "plain") return area + local;
    if (style === "spaced") return `${area} ${spaced}`;
    if (style === "intl") return `+86 ${area.slice(1)} ${spaced}`;
    return phone;
  }
  const [a, b, c] = [phone.slice(0, 3), phone.slice(3, 7), phone.slice(7)];
  if (style === "dashed") return `${a}-${b}-${c}`;
  if (style === "spaced") return `${a} ${b} ${c}`;
  if (style === "intl") return `+86 ${a}-${b}-${c}`;
  return phone;
}

/** GB/T 2261.1 codes 1 and 2, or the letters M and F, or 男 and 女. */
export function formatGender(gender: "male" | "female", style: GenderStyle): string {
  if (style === "code") return gender === "male" ? "1" : "2";
  if (style === "letter") return gender === "male" ? "M" : "F";
  return gender === "male" ? "男" : "女";
}

/** An address with or without its city and district, as the source stores it. */
export function formatAddress(address: string, style: AddressStyle): string {
  if (style === "noCity" && address.startsWith(CITY)) return address.slice(CITY.length);
  if (style === "local" && address.startsWith(CITY + DISTRICT))
    return address.slice(CITY.length + DISTRICT.length);
  return address;
}

/** Registered capital from yuan: "100.00万元人民币", "1000000" or "100万元". */
export function formatCapital(fen: number, style: CapitalStyle): string {
  const yuan = Math.round(fen / 100);
  if (style === "yuan") return String(yuan);
  if (style === "wanYuanRmb") return `${(yuan / 10_000).toFixed(2)}万元人民币`;
  return `${Number((yuan / 10_000).toFixed(4))}万元`;
}

/** "F 批发和零售业" as registered, the section's name, or its letter. */
export function formatIndustry(industry: string, style: IndustryStyle): string {
  const [letter, ...name] = industry.split(" ");
  if (style === "letter") return letter!;
  if (style === "name") return name.join(" ");
  return industry;
}

/**
 * Characters data entry confuses: homophones (Mandarin, and Cantonese where 黄/王 and 吴/伍 sound alike)
 * and look-alikes (侯/候, 晴/睛). Each group's members are mistaken for one another.
 */
// biome-ignore format: groups read better packed
const CONFUSABLE_GROUPS = [
  "黄王", "何贺", "吴伍", "张章", "李黎", "杨阳扬", "周邹", "钟仲", "曾增", "卢芦", "朱珠", "谭覃", "邱丘", "徐许",
  "余俞", "江姜", "肖萧", "唐汤", "方芳", "关官", "袁元", "韦伟玮炜", "龙隆", "严颜", "程成诚", "侯候", "罗萝",
  "林霖", "梁良", "郑正", "谢榭", "冯凤", "邓登", "叶烨", "赖籁", "苏酥", "蔡采", "彭鹏", "廖寥", "潘盼", "胡湖",
  "郭国", "麦迈", "莫漠", "孙荪", "赵肇", "温文", "马玛", "高膏", "汤棠", "蒋奖", "欧鸥", "杜渡", "石时", "姚瑶",
  "熊雄", "简俭", "骆洛", "冼洗", "植值", "刘浏",
  "志智", "俊骏峻", "嘉家佳", "雯文", "建健剑", "明铭鸣", "永咏泳", "锦劲", "浩皓灏", "宇羽禹", "子梓紫", "泽择",
  "振震", "耀跃", "强蔷", "华桦骅", "豪毫", "杰洁", "辉晖徽", "荣容蓉", "宁凝", "涛滔", "斌彬", "军君均", "轩萱宣",
  "然燃", "航杭", "聪葱", "森琛", "峰锋丰", "坤琨", "丽莉俪", "秀绣", "慧惠蕙", "晓筱", "婉宛", "诗施", "雅亚",
  "欣昕馨", "思斯", "佩珮", "玉钰", "凯恺", "楚础", "玲铃苓", "珍贞", "婷亭", "仪怡宜", "敏闵", "琪淇祺", "琳玲",
  "彤桐", "晴睛清", "萍苹", "莹滢盈", "霞侠", "娟鹃", "瑶遥", "妍研", "红虹鸿", "梅玫", "燕雁艳", "英瑛", "兰岚",
  "云芸", "桂贵", "东冬", "勇涌", "波博", "磊蕾", "超潮", "鑫欣", "宏洪", "熙曦希", "睿锐瑞", "辰晨", "涵晗",
  "若偌", "雪薛", "悦越", "墨默", "沐木", "煜昱", "奕亦", "依伊", "心新", "可珂", "雨语", "淑叔", "美媚",
  "翠萃", "凤风", "淑舒", "秋丘", "生声", "炳丙", "群裙", "全泉", "启起", "长常", "福富",
  "国帼", "德得", "汉翰", "锐瑞", "源元", "盛胜", "达答", "信新", "程呈",
];

const CONFUSABLE: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const group of CONFUSABLE_GROUPS) {
    for (const ch of group) {
      const list = map.get(ch) ?? [];
      for (const other of group) if (other !== ch && !list.includes(other)) list.push(other);
      map.set(ch, list);
    }
  }
  return map;
})();

/** One character replaced by a confusable one, preferring the given name; Latin names are left alone. */
export function typoName(rng: Random, name: string, from = 0): string {
  if (/[A-Za-z]/.test(name)) return name;
  const positions: number[] = [];
  for (let i = from; i < name.length; i++) if (CONFUSABLE.has(name[i]!)) positions.push(i);
  if (positions.length === 0) return name;
  const given = positions.filter((i) => i > from);
  const i = given.length > 0 && rng.chance(0.8) ? rng.pick(given) : rng.pick(positions);
  return name.slice(0, i) + rng.pick(CONFUSABLE.get(name[i]!)!) + name.slice(i + 1);
}

/** Two adjacent digits swapped, or one mistyped; the check character then no longer matches. */
export function mistypeCitizenId(rng: Random, id: string): string {
  for (let attempt = 0; attempt < 20; attempt++) {
    let typed: string;
    if (rng.chance(0.5)) {
      const i = rng.int(0, 15);
      if (id[i] === id[i + 1]) continue;
      typed = id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2);
    } else {
      const i = rng.int(0, 16);
      typed = id.slice(0, i) + String((Number(id[i]) + rng.int(1, 9)) % 10) + id.slice(i + 1);
    }
    if (citizenIdCheckChar(typed.slice(0, 17)) !== typed[17]) return typed;
  }
  return id.slice(0, 17) + (id[17] === "0" ? "1" : "0");
}

/** The same for a USCC: one character of the region or organisation code swapped or mistyped. */
export function mistypeUscc(rng: Random, uscc: string): string {
  for (let attempt = 0; attempt < 20; attempt++) {
    let typed: string;
    if (rng.chance(0.5)) {
      const i = rng.int(2, 15);
      if (uscc[i] === uscc[i + 1]) continue;
      typed = uscc.slice(0, i) + uscc[i + 1] + uscc[i] + uscc.slice(i + 2);
    } else {
      const i = rng.int(2, 16);
      const replacement = rng.pick([...USCC_ALPHABET].filter((c) => c !== uscc[i]));
      typed = uscc.slice(0, i) + replacement + uscc.slice(i + 1);
    }
    if (usccCheckChar(typed.slice(0, 17)) !== typed[17]) return typed;
  }
  return uscc.slice(0, 17) + (uscc[17] === "0" ? "1" : "0");
}

/** First-generation 15-digit number: the 18-digit one without "19" and without the check character. */
export function legacyId(id: string): string {
  return id.slice(0, 6) + id.slice(8, 17);
}

/** Digits (and the check letter X) typed with a full-width input method: ４４０１… */
export function fullWidth(text: string): string {
  return text.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

let hongKongConverter: ((text: string) => string) | null = null;

/**
 * OpenCC's simplified-to-traditional character table followed by its Hong Kong variants. Character by
 * character is enough for names and addresses, and it builds in a twentieth of the time of the full
 * phrase dictionary (about 0.4 s). The character table is the smaller of the two "cn" dictionaries.
 */
function buildHongKongConverter(): (text: string) => string {
  const dictionaries = OpenCC.Locale.from.cn!.flat();
  const characters = dictionaries.reduce((a, b) => (b.length < a.length ? b : a));
  return OpenCC.ConverterFactory([characters], OpenCC.Locale.to.hk!);
}

/** Traditional characters as a Hong Kong or Macao user types them. */
export function traditional(text: string): string {
  hongKongConverter ??= buildHongKongConverter();
  return hongKongConverter(text);
}

/** Brackets in half width, as systems with an ASCII keyboard layout store them: (个体工商户). */
export function halfWidthBrackets(name: string): string {
  return name.replaceAll("（", "(").replaceAll("）", ")");
}

/** A stray space after the region, or at the end, as left by copying from a printed licence. */
export function strayWhitespace(rng: Random, name: string): string {
  const region = /^(广州市云溪区|广州市|广州云溪|广州)/.exec(name)?.[0];
  if (region && rng.chance(0.7)) return `${region} ${name.slice(region.length)}`;
  return `${name} `;
}
