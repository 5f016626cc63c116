/**
 * Geography of the fictional 云溪区 (Yunxi District), Guangzhou. Names are invented to sound like
 * Pearl River Delta places without pointing at a real street.
 */

export const CITY = "广州市";
export const DISTRICT = "云溪区";
export const DISTRICT_CODE = "440120";

export interface SubdistrictPlace {
  /** Name root without 街道, e.g. 江湾. */
  root: string;
  pinyin: string;
  roads: readonly string[];
}

export const SUBDISTRICTS: readonly SubdistrictPlace[] = [
  { root: "云溪", pinyin: "Yunxi", roads: ["云溪大道", "云溪路", "文昌路", "青云巷", "府前路"] },
  { root: "江湾", pinyin: "Jiangwan", roads: ["滨江路", "江湾路", "江湾一横路", "珠光路", "码头街"] },
  { root: "翠屏", pinyin: "Cuiping", roads: ["翠屏路", "翠屏北路", "屏山街", "松柏巷", "育才路"] },
  { root: "白鹭", pinyin: "Bailu", roads: ["白鹭路", "鹭洲街", "湖滨路", "观鸟巷", "鹭江路"] },
  { root: "榕湖", pinyin: "Ronghu", roads: ["榕湖路", "榕荫街", "古榕巷", "湖心路", "仁和路"] },
  { root: "凤岭", pinyin: "Fengling", roads: ["凤岭路", "凤凰大道", "凤鸣街", "岭南路", "朝阳巷"] },
  // 涌 is read chōng in Cantonese place names (a tidal creek).
  { root: "沙涌", pinyin: "Shachong", roads: ["沙涌路", "沙涌南路", "涌边街", "新沙巷", "聚龙路"] },
  { root: "荔园", pinyin: "Liyuan", roads: ["荔园路", "荔枝湾街", "荔香巷", "红棉路", "丰收路"] },
  { root: "青竹", pinyin: "Qingzhu", roads: ["青竹路", "竹林街", "竹园巷", "青年路", "育英路"] },
  { root: "鹤鸣", pinyin: "Heming", roads: ["鹤鸣路", "鹤洲街", "松鹤巷", "鸣泉路", "东风路"] },
  { root: "金桂", pinyin: "Jingui", roads: ["金桂路", "桂香街", "丹桂巷", "金城大道", "兴业路"] },
  { root: "梅岭", pinyin: "Meiling", roads: ["梅岭路", "梅花街", "岭头巷", "梅园路", "新华路"] },
  { root: "枫林", pinyin: "Fenglin", roads: ["枫林路", "枫叶街", "红枫巷", "林荫路", "科创路"] },
  { root: "桃源", pinyin: "Taoyuan", roads: ["桃源路", "桃花街", "源头巷", "仙桃路", "民乐路"] },
  { root: "兰溪", pinyin: "Lanxi", roads: ["兰溪路", "兰亭街", "幽兰巷", "溪畔路", "创业路"] },
  { root: "望海", pinyin: "Wanghai", roads: ["望海路", "海景街", "听涛巷", "临海大道", "港湾路"] },
  { root: "星河", pinyin: "Xinghe", roads: ["星河路", "星光街", "银河巷", "天汇路", "科技大道"] },
  { root: "锦绣", pinyin: "Jinxiu", roads: ["锦绣路", "锦华街", "绣球巷", "锦程大道", "富民路"] },
];

type Syllable = readonly [zh: string, pinyin: string];

// Community names pair a descriptive first character with a place-like second one (翠苑, 康泰, 锦湖…).
// biome-ignore format: a table reads better than one pair per line
export const COMMUNITY_FIRST: readonly Syllable[] = [
  ["翠", "cui"], ["锦", "jin"], ["华", "hua"], ["新", "xin"], ["东", "dong"], ["南", "nan"], ["西", "xi"],
  ["北", "bei"], ["金", "jin"], ["银", "yin"], ["荔", "li"], ["榕", "rong"], ["兰", "lan"], ["桂", "gui"],
  ["松", "song"], ["竹", "zhu"], ["梅", "mei"], ["枫", "feng"], ["嘉", "jia"], ["和", "he"], ["康", "kang"],
  ["福", "fu"], ["瑞", "rui"], ["祥", "xiang"], ["丽", "li"], ["朝", "chao"], ["明", "ming"], ["宝", "bao"],
];

// biome-ignore format: a table reads better than one pair per line
export const COMMUNITY_SECOND: readonly Syllable[] = [
  ["苑", "yuan"], ["园", "yuan"], ["湖", "hu"], ["景", "jing"], ["城", "cheng"], ["庭", "ting"], ["湾", "wan"],
  ["岭", "ling"], ["溪", "xi"], ["港", "gang"], ["馨", "xin"], ["晖", "hui"], ["汇", "hui"], ["泰", "tai"],
  ["安", "an"], ["山", "shan"], ["桥", "qiao"], ["塘", "tang"], ["阳", "yang"], ["坊", "fang"],
];

export const ESTATE_MIDDLE = [
  "景",
  "庭",
  "湖",
  "峰",
  "悦",
  "轩",
  "城",
  "湾",
  "泉",
  "林",
  "阁",
  "海",
  "翠",
  "御",
];
export const ESTATE_SUFFIX = ["花园", "新村", "小区", "名苑", "雅居", "公寓", "华庭", "新城"];

/** Pinyin syllables joined as a place name: "Kang" + "an" → "Kang'an", with the apostrophe pinyin requires. */
export function placePinyin(...syllables: string[]): string {
  const joined = syllables
    .map((s, i) => (i > 0 && /^[aoe]/.test(s) ? `'${s}` : s))
    .join("")
    .toLowerCase();
  return joined.charAt(0).toUpperCase() + joined.slice(1);
}
