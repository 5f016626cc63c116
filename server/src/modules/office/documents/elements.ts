/** The GB/T 9704 / 党政机关公文处理工作条例 vocabulary a document record uses. */

/** 公文种类 (the fifteen kinds of the 2012 regulation). */
export const DOC_TYPES = [
  "决议",
  "决定",
  "命令",
  "公报",
  "公告",
  "通告",
  "意见",
  "通知",
  "通报",
  "报告",
  "请示",
  "批复",
  "议案",
  "函",
  "纪要",
] as const;
export type DocType = (typeof DOC_TYPES)[number];

/** 上行文: the 签发人 is printed beside the number. */
export const UPWARD_TYPES: readonly DocType[] = ["报告", "请示", "议案"];

export const CLASSIFICATIONS = ["none", "secret", "confidential", "top_secret"] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const URGENCIES = ["normal", "urgent", "extra_urgent"] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Outgoing: 拟稿 → 核稿 → 会签 → 签发 → 编号 → 用印 → 分发. */
export const OUTGOING_STATUSES = [
  "draft",
  "reviewing",
  "countersigning",
  "signing",
  "signed_off",
  "numbered",
  "sealed",
  "distributed",
  "withdrawn",
] as const;

/** Incoming: 签收 → 拟办 → 批办 → 承办 → 办结 → 归档. */
export const INCOMING_STATUSES = [
  "pending",
  "received",
  "proposed",
  "instructed",
  "handled",
  "closed",
  "archived",
] as const;

export type DocumentStatus = (typeof OUTGOING_STATUSES)[number] | (typeof INCOMING_STATUSES)[number];

/** 发文字号: 机关代字 + 〔year〕 + sequence + 号, e.g. 云府〔2026〕12号 (no leading zeros, per GB/T 9704). */
export function formatDocumentNumber(organCode: string, year: number, seq: number): string {
  return `${organCode}〔${year}〕${seq}号`;
}
