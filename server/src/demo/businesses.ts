/**
 * Naming and sizing tables for the demo's market entities. Industries are GB/T 4754-2017 sections; the
 * business words are what a Guangzhou company name would put between its trade name and its form.
 */

export type EnterpriseKind =
  | "有限责任公司"
  | "个体工商户"
  | "股份有限公司"
  | "个人独资企业"
  | "合伙企业"
  | "农民专业合作社";

/** Roughly the district's register: individual businesses and limited companies dominate. */
export const ENTERPRISE_KINDS: readonly (readonly [EnterpriseKind, number])[] = [
  ["个体工商户", 45],
  ["有限责任公司", 44],
  ["个人独资企业", 5],
  ["合伙企业", 2.5],
  ["农民专业合作社", 2],
  ["股份有限公司", 1.5],
];

/** Company business words by industry section, weighted by how common such companies are in an urban district. */
// biome-ignore format: one section per row
export const COMPANY_INDUSTRIES: readonly (readonly [{ industry: string; words: readonly string[] }, number])[] = [
  [{ industry: "F 批发和零售业", words: ["贸易", "商贸", "食品贸易", "医疗器械", "电子产品", "服装贸易", "建材", "化妆品"] }, 30],
  [{ industry: "I 信息传输、软件和信息技术服务业", words: ["信息科技", "网络科技", "软件开发", "数据科技", "智能科技"] }, 14],
  [{ industry: "L 租赁和商务服务业", words: ["企业管理咨询", "商务服务", "广告", "人力资源服务", "会展服务"] }, 13],
  [{ industry: "M 科学研究和技术服务业", words: ["检测技术", "工程设计", "生物科技", "环保科技", "工程技术"] }, 8],
  [{ industry: "E 建筑业", words: ["建筑工程", "装饰工程", "机电安装工程", "市政工程"] }, 8],
  [{ industry: "H 住宿和餐饮业", words: ["餐饮管理", "酒店管理", "饮食"] }, 7],
  [{ industry: "G 交通运输、仓储和邮政业", words: ["物流", "货运代理", "供应链管理", "运输"] }, 6],
  [{ industry: "C 制造业", words: ["服饰", "五金制品", "包装材料", "食品", "家具", "电子设备", "印刷"] }, 5],
  [{ industry: "K 房地产业", words: ["物业管理", "房地产代理", "房地产开发"] }, 3],
  [{ industry: "R 文化、体育和娱乐业", words: ["文化传播", "体育发展", "影视传媒"] }, 3],
  [{ industry: "P 教育", words: ["教育咨询", "艺术培训"] }, 1.5],
  [{ industry: "Q 卫生和社会工作", words: ["健康管理", "养老服务"] }, 1],
  [{ industry: "N 水利、环境和公共设施管理业", words: ["园林绿化", "环境工程"] }, 1],
  [{ industry: "D 电力、热力、燃气及水生产和供应业", words: ["新能源", "燃气"] }, 0.5],
];

/** Individual businesses: the shop word and its section. */
export const SHOP_TYPES: readonly (readonly [{ industry: string; shop: string }, number])[] = [
  ...[
    "士多店",
    "便利店",
    "水果店",
    "五金店",
    "日用品店",
    "服装店",
    "烟酒商行",
    "粮油店",
    "茶叶店",
    "手机配件店",
  ].map((shop) => [{ industry: "F 批发和零售业", shop }, 5] as const),
  ...["粉面店", "烧腊店", "茶餐厅", "糖水铺", "肠粉店", "小食店", "牛杂店", "快餐店"].map(
    (shop) => [{ industry: "H 住宿和餐饮业", shop }, 5] as const,
  ),
  ...["理发店", "洗衣店", "汽车维修店", "家电维修部", "美甲店", "开锁店"].map(
    (shop) => [{ industry: "O 居民服务、修理和其他服务业", shop }, 4] as const,
  ),
];

export const SOLE_PROPRIETORSHIPS: readonly { industry: string; word: string }[] = [
  { industry: "F 批发和零售业", word: "五金" },
  { industry: "F 批发和零售业", word: "建材" },
  { industry: "F 批发和零售业", word: "茶叶" },
  { industry: "F 批发和零售业", word: "服装" },
  { industry: "F 批发和零售业", word: "电子" },
  { industry: "M 科学研究和技术服务业", word: "设计" },
  { industry: "O 居民服务、修理和其他服务业", word: "摄影" },
];

export const PARTNERSHIPS: readonly { industry: string; word: string; liability: "有限合伙" | "普通合伙" }[] =
  [
    { industry: "J 金融业", word: "股权投资", liability: "有限合伙" },
    { industry: "L 租赁和商务服务业", word: "投资", liability: "有限合伙" },
    { industry: "L 租赁和商务服务业", word: "企业管理咨询", liability: "普通合伙" },
  ];

export const COOPERATIVE_PRODUCTS = ["荔枝种植", "蔬菜种植", "花卉种植", "水产养殖", "家禽养殖", "茶叶种植"];

/** Characters for trade names (字号); two distinct ones make a name like 锦程 or 鑫达. */
export const TRADE_NAME_CHARS =
  "锦程华盛鑫达恒源瑞丰泰宏远佳兴隆德信联创智博和顺凯越宇海天新美康安富永金荣誉辉腾骏卓汇润铭启晟昊";

/**
 * Registered capital in yuan by kind. The column is a 32-bit count of fen, so nothing exceeds
 * 21.47 million yuan; large listed groups are not part of a district demo anyway.
 */
// biome-ignore format: one kind per row
export const CAPITAL_YUAN: Record<EnterpriseKind, readonly (readonly [number, number])[]> = {
  有限责任公司: [[100_000, 25], [500_000, 20], [1_000_000, 25], [2_000_000, 8], [3_000_000, 6], [5_000_000, 10], [10_000_000, 5], [20_000_000, 1]],
  个体工商户: [[10_000, 20], [20_000, 10], [30_000, 20], [50_000, 20], [100_000, 15], [200_000, 5], [500_000, 3]],
  股份有限公司: [[5_000_000, 3], [10_000_000, 4], [20_000_000, 2]],
  个人独资企业: [[10_000, 3], [30_000, 3], [50_000, 4], [100_000, 4], [300_000, 2], [500_000, 1]],
  合伙企业: [[1_000_000, 3], [5_000_000, 2], [10_000_000, 1]],
  农民专业合作社: [[100_000, 2], [300_000, 3], [500_000, 3], [1_000_000, 2], [2_000_000, 1]],
};
