import { type Random, WeightedTable } from "./random";

/**
 * Surname frequencies (per mille, rounded) for Guangzhou's registered population: 陈, 李 and 黄 lead
 * as they do across Guangdong, with Cantonese surnames (梁, 麦, 区, 冼, 司徒) more common than nationally.
 */
// biome-ignore format: a frequency table reads better in rows
const SURNAMES = new WeightedTable<string>([
  ["陈", 100], ["李", 75], ["黄", 65], ["张", 50], ["梁", 45], ["林", 40], ["刘", 40], ["吴", 35],
  ["王", 30], ["何", 30], ["罗", 30], ["郑", 25], ["杨", 25], ["周", 20], ["谢", 20], ["钟", 20],
  ["冯", 20], ["邓", 20], ["曾", 18], ["叶", 18], ["赖", 12], ["苏", 12], ["卢", 12], ["蔡", 12],
  ["彭", 12], ["朱", 12], ["谭", 12], ["廖", 10], ["邱", 10], ["潘", 10], ["徐", 10], ["胡", 10],
  ["郭", 10], ["余", 10], ["许", 9], ["麦", 8], ["江", 8], ["莫", 8], ["黎", 8], ["肖", 8], ["孙", 8],
  ["赵", 8], ["唐", 8], ["方", 7], ["温", 6], ["关", 6], ["伍", 6], ["袁", 6], ["马", 6], ["高", 6],
  ["韦", 6], ["区", 5], ["汤", 5], ["蒋", 5], ["龙", 4], ["严", 4], ["邝", 4], ["古", 4], ["欧", 4],
  ["杜", 4], ["程", 4], ["覃", 4], ["石", 4], ["姚", 4], ["熊", 4], ["欧阳", 4], ["骆", 3], ["冼", 3],
  ["简", 3], ["侯", 3], ["丁", 3], ["司徒", 2], ["植", 1], ["上官", 0.2], ["诸葛", 0.2],
]);

type Era = "pre1960" | "1960s70s" | "1980s90s" | "post2000";
type Gender = "male" | "female";

/** Common whole given names per birth cohort: naming fashions shifted sharply across these decades. */
// biome-ignore format: name lists read better wrapped
const GIVEN_NAMES: Record<Era, Record<Gender, readonly string[]>> = {
  pre1960: {
    male: ["建国", "国强", "志明", "炳坤", "伟雄", "锦华", "振华", "德明", "汉生", "永强", "树森", "炳南", "国华",
      "耀明", "润生", "文光", "荣昌", "广生", "金水", "桂生", "福全", "瑞林", "国栋", "绍基", "启明", "长青",
      "志刚", "卫国", "援朝", "建华", "伟", "强", "明", "华"],
    female: ["秀英", "桂英", "玉兰", "淑贞", "丽珍", "秀珍", "桂芳", "月娥", "凤英", "玉梅", "金凤", "惠珍", "佩玲",
      "少芳", "翠兰", "亚妹", "带娣", "秀琼", "美玲", "洁贞", "碧霞", "瑞芳", "银好", "群英", "爱华", "淑芬",
      "慧娴", "芳", "英", "珍"],
  },
  "1960s70s": {
    male: ["志强", "伟强", "国伟", "建明", "家豪", "俊杰", "志华", "振宇", "永红", "卫东", "文斌", "锦添", "耀辉",
      "少华", "国良", "海涛", "建军", "立新", "伟明", "志勇", "伟文", "家明", "健", "勇", "军", "斌", "辉",
      "敏", "东", "波"],
    female: ["丽华", "美玲", "小燕", "丽娟", "秀梅", "惠玲", "艳红", "晓红", "海燕", "丽萍", "少玲", "敏华", "雪梅",
      "红梅", "玉珍", "彩霞", "凤仪", "婉仪", "慧敏", "燕", "红", "丽", "芳", "静", "萍", "洁", "颖", "琳"],
  },
  "1980s90s": {
    male: ["俊杰", "伟杰", "志豪", "文杰", "嘉豪", "家乐", "俊宏", "子健", "晓东", "健聪", "泽辉", "浩然", "俊熙",
      "梓锋", "宇航", "振东", "嘉伟", "卓然", "明轩", "冠宏", "浩", "杰", "鹏", "磊", "超", "涛", "皓", "宇",
      "锐", "翔"],
    female: ["静怡", "婷婷", "嘉欣", "晓婷", "颖欣", "丽婷", "雅琪", "淑仪", "诗敏", "慧琳", "佩珊", "晓彤", "嘉敏",
      "洁仪", "思敏", "芷君", "晓琳", "丹丹", "海霞", "婉婷", "咏诗", "凯琪", "楚君", "倩", "婷", "雪", "琳",
      "欣", "悦", "瑶"],
  },
  post2000: {
    male: ["梓轩", "子轩", "浩宇", "宇轩", "俊熙", "梓豪", "浩然", "博文", "一鸣", "子墨", "梓睿", "嘉俊", "铭轩",
      "宇航", "子豪", "睿泽", "皓轩", "煜城", "沐阳", "俊宇", "泽宇", "家乐", "奕辰", "梓航", "文轩", "锦程"],
    female: ["梓涵", "欣怡", "诗涵", "梓晴", "雨桐", "子涵", "可欣", "紫琪", "佳琪", "思彤", "梓萱", "芷晴", "诗琪",
      "晓晴", "雨欣", "一诺", "语桐", "心怡", "若曦", "可馨", "梓琳", "嘉怡", "乐瑶", "依诺", "芷若", "悦彤",
      "婉清", "思琪"],
  },
};

// Character pools for composed names, so a district of ten thousand is not a few hundred repeated names.
// biome-ignore format: character pools read better on one line each
const GIVEN_CHARS: Record<Gender, readonly [readonly string[], readonly string[]]> = {
  male: [
    ["志", "伟", "俊", "嘉", "家", "文", "国", "建", "明", "永", "锦", "浩", "宇", "子", "梓", "泽", "冠", "振", "耀", "健"],
    ["强", "华", "明", "豪", "杰", "辉", "荣", "鹏", "宁", "涛", "斌", "军", "轩", "然", "航", "霖", "聪", "森", "峰", "坤"],
  ],
  female: [
    ["丽", "美", "秀", "慧", "嘉", "晓", "婉", "诗", "雅", "欣", "梓", "思", "咏", "佩", "淑", "玉", "雪", "佳", "凯", "楚"],
    ["华", "玲", "珍", "芳", "婷", "仪", "敏", "琪", "怡", "欣", "琳", "彤", "晴", "萍", "莹", "霞", "娟", "君", "瑶", "妍"],
  ],
};

function eraOf(birthYear: number): Era {
  if (birthYear < 1960) return "pre1960";
  if (birthYear < 1980) return "1960s70s";
  if (birthYear < 2000) return "1980s90s";
  return "post2000";
}

export function chineseSurname(rng: Random): string {
  return SURNAMES.draw(rng);
}

export function chineseGivenName(rng: Random, gender: Gender, birthYear: number): string {
  if (rng.chance(0.7)) return rng.pick(GIVEN_NAMES[eraOf(birthYear)][gender]);
  const [firsts, seconds] = GIVEN_CHARS[gender];
  let first = rng.pick(firsts);
  const second = rng.pick(seconds);
  if (first === second) first = rng.pick(firsts);
  return first + second;
}

export function chineseName(rng: Random, gender: Gender, birthYear: number, surname?: string): string {
  return (surname ?? chineseSurname(rng)) + chineseGivenName(rng, gender, birthYear);
}

export interface Nationality {
  code: string;
  givenMale: readonly string[];
  givenFemale: readonly string[];
  surnames: readonly string[];
  /** Passport number shape: L = capital letter, D = digit, A = either. */
  passport: string;
}

/** Foreign residents as Guangzhou sees them: traders from Africa, East and Southeast Asia, plus expatriates. */
// biome-ignore format: one nationality per row
export const NATIONALITIES: readonly (readonly [Nationality, number])[] = [
  [{ code: "NGA", givenMale: ["Chinedu", "Emeka", "Tunde", "Ifeanyi"], givenFemale: ["Ngozi", "Adaeze", "Funmi"], surnames: ["OKAFOR", "ADEYEMI", "NWOSU", "OKONKWO"], passport: "LDDDDDDDD" }, 18],
  [{ code: "KOR", givenMale: ["Minjun", "Jiho", "Seojun"], givenFemale: ["Jiwoo", "Seoyeon", "Hayoon"], surnames: ["KIM", "LEE", "PARK", "CHOI"], passport: "MDDDDDDDD" }, 14],
  [{ code: "JPN", givenMale: ["Hiroshi", "Takeshi", "Kenta"], givenFemale: ["Yuki", "Aiko", "Haruka"], surnames: ["TANAKA", "SATO", "SUZUKI", "WATANABE"], passport: "LLDDDDDDD" }, 10],
  [{ code: "USA", givenMale: ["John", "Michael", "David", "James"], givenFemale: ["Emily", "Sarah", "Jessica"], surnames: ["SMITH", "JOHNSON", "BROWN", "MILLER"], passport: "DDDDDDDDD" }, 10],
  [{ code: "GBR", givenMale: ["Oliver", "Harry", "Thomas"], givenFemale: ["Charlotte", "Amelia", "Sophie"], surnames: ["TAYLOR", "WILSON", "EVANS", "WRIGHT"], passport: "DDDDDDDDD" }, 6],
  [{ code: "RUS", givenMale: ["Dmitry", "Alexei", "Ivan"], givenFemale: ["Anna", "Olga", "Maria"], surnames: ["IVANOV", "PETROV", "SMIRNOV"], passport: "DDDDDDDDD" }, 8],
  [{ code: "VNM", givenMale: ["Minh", "Tuan", "Duc"], givenFemale: ["Lan", "Huong", "Mai"], surnames: ["NGUYEN", "TRAN", "LE", "PHAM"], passport: "LDDDDDDD" }, 10],
  [{ code: "THA", givenMale: ["Somchai", "Anan"], givenFemale: ["Malee", "Siriporn"], surnames: ["SAETANG", "CHAIYAPORN", "SRISUK"], passport: "LLDDDDDDD" }, 6],
  [{ code: "MYS", givenMale: ["Ahmad", "Wei Jie"], givenFemale: ["Nurul", "Mei Ling"], surnames: ["TAN", "LIM", "ABDULLAH", "WONG"], passport: "LDDDDDDDD" }, 6],
  [{ code: "IND", givenMale: ["Rahul", "Arjun", "Vikram"], givenFemale: ["Priya", "Ananya", "Divya"], surnames: ["SHARMA", "PATEL", "SINGH", "KUMAR"], passport: "LDDDDDDD" }, 6],
  [{ code: "FRA", givenMale: ["Louis", "Hugo", "Lucas"], givenFemale: ["Camille", "Léa", "Chloé"], surnames: ["MARTIN", "BERNARD", "DUBOIS"], passport: "DDLLDDDDD" }, 3],
  [{ code: "DEU", givenMale: ["Lukas", "Felix", "Jonas"], givenFemale: ["Lena", "Hannah", "Mia"], surnames: ["MÜLLER", "SCHMIDT", "SCHNEIDER"], passport: "CAAAAAAAA" }, 3],
];

const NATIONALITY_TABLE = new WeightedTable(NATIONALITIES);

export function foreignPerson(rng: Random, gender: Gender): { name: string; nationality: Nationality } {
  const nationality = NATIONALITY_TABLE.draw(rng);
  const given = rng.pick(gender === "male" ? nationality.givenMale : nationality.givenFemale);
  // Passport style: given names as written, family name in capitals.
  return { name: `${given} ${rng.pick(nationality.surnames)}`, nationality };
}

export function passportNumber(rng: Random, nationality: Nationality): string {
  let out = "";
  for (const slot of nationality.passport) {
    if (slot === "D") out += rng.digits(1);
    else if (slot === "L") out += rng.chars("ABCDEFGHJKLMNPRSTUVWXYZ", 1);
    // German passport serials avoid vowels and easily confused letters.
    else if (slot === "A") out += rng.chars("CFGHJKLMNPRTVWXYZ0123456789", 1);
    else out += slot;
  }
  return out;
}
