/**
 * Working departments of the district government and their sections (科室), modelled on a Guangzhou
 * district after the 2019 institutional reform. The order is the order of the organisation chart and
 * fixes the codes, so append rather than insert.
 */

export interface OfficeSpec {
  name: string;
  nameEn: string;
}

export interface BureauSpec {
  /** Stable key the generator uses to place special accounts. */
  key: string;
  name: string;
  nameEn: string;
  orgPrefix: string;
  offices: readonly OfficeSpec[];
}

const GENERAL_OFFICE: OfficeSpec = { name: "办公室", nameEn: "General Office" };

export const BUREAUS: readonly BureauSpec[] = [
  {
    key: "general-office",
    name: "区政府办公室",
    nameEn: "General Office of the District Government",
    orgPrefix: "云府办",
    offices: [
      { name: "秘书科", nameEn: "Secretariat Section" },
      { name: "综合科", nameEn: "General Affairs Section" },
      { name: "督查科", nameEn: "Supervision Section" },
    ],
  },
  {
    key: "development-reform",
    name: "区发展和改革局",
    nameEn: "District Development and Reform Bureau",
    orgPrefix: "云发改",
    offices: [GENERAL_OFFICE, { name: "规划投资科", nameEn: "Planning and Investment Section" }],
  },
  {
    key: "education",
    name: "区教育局",
    nameEn: "District Education Bureau",
    orgPrefix: "云教",
    offices: [
      GENERAL_OFFICE,
      { name: "基础教育科", nameEn: "Basic Education Section" },
      { name: "学前教育科", nameEn: "Pre-school Education Section" },
    ],
  },
  {
    key: "public-security",
    name: "区公安分局",
    nameEn: "District Public Security Sub-bureau",
    orgPrefix: "云公",
    offices: [
      { name: "指挥中心", nameEn: "Command Centre" },
      { name: "户政科", nameEn: "Household Registration Section" },
      { name: "出入境管理大队", nameEn: "Exit-Entry Administration Brigade" },
    ],
  },
  {
    key: "civil-affairs",
    name: "区民政局",
    nameEn: "District Civil Affairs Bureau",
    orgPrefix: "云民",
    offices: [
      GENERAL_OFFICE,
      { name: "社会救助科", nameEn: "Social Assistance Section" },
      { name: "婚姻登记处", nameEn: "Marriage Registry" },
    ],
  },
  {
    key: "justice",
    name: "区司法局",
    nameEn: "District Justice Bureau",
    orgPrefix: "云司",
    offices: [
      GENERAL_OFFICE,
      { name: "公共法律服务科", nameEn: "Public Legal Services Section" },
      { name: "行政复议科", nameEn: "Administrative Reconsideration Section" },
    ],
  },
  {
    key: "finance",
    name: "区财政局",
    nameEn: "District Finance Bureau",
    orgPrefix: "云财",
    offices: [
      GENERAL_OFFICE,
      { name: "预算科", nameEn: "Budget Section" },
      { name: "国库科", nameEn: "Treasury Section" },
    ],
  },
  {
    key: "human-resources",
    name: "区人力资源和社会保障局",
    nameEn: "District Human Resources and Social Security Bureau",
    orgPrefix: "云人社",
    offices: [
      GENERAL_OFFICE,
      { name: "就业促进科", nameEn: "Employment Promotion Section" },
      { name: "劳动保障监察大队", nameEn: "Labour Inspection Brigade" },
    ],
  },
  {
    key: "planning",
    name: "区规划和自然资源分局",
    nameEn: "District Planning and Natural Resources Sub-bureau",
    orgPrefix: "云规划资源",
    offices: [
      GENERAL_OFFICE,
      { name: "规划管理科", nameEn: "Planning Administration Section" },
      { name: "不动产登记中心", nameEn: "Real Estate Registration Centre" },
    ],
  },
  {
    key: "housing",
    name: "区住房和城乡建设局",
    nameEn: "District Housing and Urban-Rural Development Bureau",
    orgPrefix: "云建",
    offices: [
      GENERAL_OFFICE,
      { name: "建设工程管理科", nameEn: "Construction Projects Section" },
      { name: "房屋管理科", nameEn: "Housing Administration Section" },
    ],
  },
  {
    key: "transport",
    name: "区交通运输局",
    nameEn: "District Transport Bureau",
    orgPrefix: "云交",
    offices: [GENERAL_OFFICE, { name: "道路运输管理科", nameEn: "Road Transport Section" }],
  },
  {
    key: "water",
    name: "区水务局",
    nameEn: "District Water Affairs Bureau",
    orgPrefix: "云水",
    offices: [
      GENERAL_OFFICE,
      { name: "河湖管理科", nameEn: "Rivers and Lakes Section" },
      { name: "排水管理科", nameEn: "Drainage Section" },
    ],
  },
  {
    key: "agriculture",
    name: "区农业农村局",
    nameEn: "District Agriculture and Rural Affairs Bureau",
    orgPrefix: "云农",
    offices: [GENERAL_OFFICE, { name: "农村经济科", nameEn: "Rural Economy Section" }],
  },
  {
    key: "commerce",
    name: "区商务局",
    nameEn: "District Commerce Bureau",
    orgPrefix: "云商务",
    offices: [
      GENERAL_OFFICE,
      { name: "市场运行科", nameEn: "Market Operation Section" },
      { name: "外资外贸科", nameEn: "Foreign Investment and Trade Section" },
    ],
  },
  {
    key: "culture",
    name: "区文化广电旅游体育局",
    nameEn: "District Culture, Radio, Television, Tourism and Sports Bureau",
    orgPrefix: "云文广旅体",
    offices: [
      GENERAL_OFFICE,
      { name: "文化艺术科", nameEn: "Culture and Arts Section" },
      { name: "体育科", nameEn: "Sports Section" },
    ],
  },
  {
    key: "health",
    name: "区卫生健康局",
    nameEn: "District Health Bureau",
    orgPrefix: "云卫健",
    offices: [
      GENERAL_OFFICE,
      { name: "医政医管科", nameEn: "Medical Administration Section" },
      { name: "疾病预防控制科", nameEn: "Disease Prevention and Control Section" },
    ],
  },
  {
    key: "veterans",
    name: "区退役军人事务局",
    nameEn: "District Veterans Affairs Bureau",
    orgPrefix: "云退役军人",
    offices: [GENERAL_OFFICE, { name: "优抚科", nameEn: "Preferential Treatment Section" }],
  },
  {
    key: "emergency",
    name: "区应急管理局",
    nameEn: "District Emergency Management Bureau",
    orgPrefix: "云应急",
    offices: [
      GENERAL_OFFICE,
      { name: "安全生产综合监管科", nameEn: "Work Safety Supervision Section" },
      { name: "防灾减灾科", nameEn: "Disaster Prevention and Mitigation Section" },
    ],
  },
  {
    key: "audit",
    name: "区审计局",
    nameEn: "District Audit Bureau",
    orgPrefix: "云审",
    offices: [GENERAL_OFFICE, { name: "财政审计科", nameEn: "Fiscal Audit Section" }],
  },
  {
    key: "market-regulation",
    name: "区市场监督管理局",
    nameEn: "District Administration for Market Regulation",
    orgPrefix: "云市监",
    offices: [
      GENERAL_OFFICE,
      { name: "登记注册科", nameEn: "Business Registration Section" },
      { name: "食品安全监管科", nameEn: "Food Safety Section" },
    ],
  },
  {
    key: "statistics",
    name: "区统计局",
    nameEn: "District Statistics Bureau",
    orgPrefix: "云统",
    offices: [GENERAL_OFFICE, { name: "综合统计科", nameEn: "Statistics Section" }],
  },
  {
    key: "healthcare-security",
    name: "区医疗保障局",
    nameEn: "District Healthcare Security Bureau",
    orgPrefix: "云医保",
    offices: [
      GENERAL_OFFICE,
      { name: "待遇保障科", nameEn: "Benefits Section" },
      { name: "基金监管科", nameEn: "Fund Supervision Section" },
    ],
  },
  {
    key: "urban-management",
    name: "区城市管理和综合执法局",
    nameEn: "District Urban Management and Law Enforcement Bureau",
    orgPrefix: "云城管",
    offices: [
      GENERAL_OFFICE,
      { name: "市容环境卫生科", nameEn: "City Appearance and Sanitation Section" },
      { name: "综合执法大队", nameEn: "Law Enforcement Brigade" },
    ],
  },
  {
    key: "data-bureau",
    name: "区政务服务和数据管理局",
    nameEn: "District Government Services and Data Administration Bureau",
    orgPrefix: "云政数",
    offices: [
      { name: "政务服务中心", nameEn: "Government Services Centre" },
      { name: "数据资源科", nameEn: "Data Resources Section" },
      { name: "信息科", nameEn: "Information Technology Section" },
    ],
  },
  {
    key: "letters-calls",
    name: "区信访局",
    nameEn: "District Letters and Calls Bureau",
    orgPrefix: "云信访",
    offices: [GENERAL_OFFICE, { name: "来访接待科", nameEn: "Visitor Reception Section" }],
  },
  {
    key: "operations-centre",
    name: "区城市运行管理中心",
    nameEn: "District City Operations Management Centre",
    orgPrefix: "云城运",
    offices: [
      { name: "指挥调度科", nameEn: "Command and Dispatch Section" },
      { name: "运行监测科", nameEn: "Operations Monitoring Section" },
      { name: "12345热线科", nameEn: "12345 Hotline Section" },
    ],
  },
  {
    key: "ecology-environment",
    name: "区生态环境分局",
    nameEn: "District Ecology and Environment Sub-bureau",
    orgPrefix: "云环",
    offices: [GENERAL_OFFICE, { name: "环境管理科", nameEn: "Environmental Management Section" }],
  },
  {
    key: "taxation",
    name: "区税务局",
    nameEn: "District Taxation Bureau",
    orgPrefix: "云税",
    offices: [GENERAL_OFFICE, { name: "纳税服务科", nameEn: "Taxpayer Services Section" }],
  },
  {
    key: "disabled-persons",
    name: "区残疾人联合会",
    nameEn: "District Disabled Persons' Federation",
    orgPrefix: "云残联",
    offices: [GENERAL_OFFICE, { name: "康复科", nameEn: "Rehabilitation Section" }],
  },
  {
    key: "trade-unions",
    name: "区总工会",
    nameEn: "District Federation of Trade Unions",
    orgPrefix: "云工会",
    offices: [GENERAL_OFFICE, { name: "职工服务科", nameEn: "Workers' Services Section" }],
  },
];
