import type { OfficialDocumentLayout } from "./render";

/**
 * A realistic 通知 of the demo district, for tests and for looking at the layout: `npm run e2e`
 * writes it sealed to e2e/screenshots/gongwen-sealed.pdf, with a PNG per page beside it.
 */
export function sampleDocument(paragraphRepeats = 1): OfficialDocumentLayout {
  const sections = [
    "为深入贯彻落实国家关于加强数字政府建设的部署要求，加快推进“四网融合”，全面提升政务服务效能和城市治理水平，经区人民政府同意，现就有关事项通知如下。",
    "一、总体要求",
    "（一）指导思想。坚持以人民为中心的发展思想，以“一网通办、一网协同、一网统管、一网共享”为主线，统筹推进技术融合、业务融合、数据融合，实现跨层级、跨地域、跨系统、跨部门、跨业务的协同管理和服务。",
    "（二）工作目标。到2026年底，区级政务服务事项网上可办率达到100%，“最多跑一次”事项占比不低于95%；12345热线诉求按时办结率达到98.5%以上；城市运行体征指标接入不少于1,972项。",
    "二、重点任务",
    "1.深化“一网通办”改革。全面梳理政务服务事项清单，统一事项名称、编码、依据、类型等基本要素，推行告知承诺、容缺受理等便利化措施，推动高频事项“掌上办”“就近办”“跨域通办”。",
    "2.推进“一网协同”办公。依托统一工作门户，实现公文、会议、督办等业务全流程网上运转，公文按照GB/T 9704—2012《党政机关公文格式》规范排版，以电子印章加盖后分发。",
    "3.强化“一网统管”能力。建设城市运行数字孪生底座，汇聚物联感知、视频分析、网格巡查等数据，形成“发现—派遣—处置—核查—结案—评价”的闭环管理机制。",
    "三、保障措施",
    "各镇（街道）、各部门要高度重视，明确分管领导和具体联系人，于2026年12月10日前将实施方案报区政务服务数据管理局（联系电话：020-12345678）。对工作推进不力、群众反映强烈的，将予以通报。",
  ];
  const body: string[] = [];
  for (let i = 0; i < paragraphRepeats; i++) body.push(...sections);
  return {
    copyNo: "000012",
    classification: "none",
    secrecyPeriod: null,
    urgency: "urgent",
    organMark: "云溪区人民政府文件",
    number: "云府〔2026〕12号",
    signer: null,
    title: "云溪区人民政府关于加快推进数字政府“四网融合”建设的通知",
    mainRecipients: ["各镇人民政府、街道办事处", "区政府各部门", "各直属机构"],
    body: body.join("\n"),
    attachmentNotes: [
      "云溪区数字政府“四网融合”建设重点任务分工表",
      "云溪区政务服务事项网上可办清单（2026年版）",
    ],
    signatureOrg: "云溪区人民政府",
    writtenDate: "2026-11-29",
    seal: { name: "云溪区人民政府" },
    note: "此件公开发布",
    ccRecipients: ["区委各部门", "区人大常委会办公室", "区政协办公室", "区法院", "区检察院", "区人武部"],
    printingOrg: "云溪区人民政府办公室",
    printingDate: "2026-11-29",
  };
}
