import type { FontFace } from "../../../kernel/pdf";

/** The wording GB/T 9704-2012 prescribes for the elements of a 公文. */

const CLASSIFICATION: Record<string, string> = { secret: "秘密", confidential: "机密", top_secret: "绝密" };
const URGENCY: Record<string, string> = { urgent: "加急", extra_urgent: "特急" };

/** 密级和保密期限, e.g. "机密★5年"; null when unclassified. */
export function classificationText(classification: string, secrecyPeriod: string | null): string | null {
  const label = CLASSIFICATION[classification];
  if (!label) return null;
  const period = secrecyPeriod?.trim();
  if (!period) return label;
  return `${label}★${/^\d+$/.test(period) ? `${period}年` : period}`;
}

export const urgencyText = (urgency: string): string | null => URGENCY[urgency] ?? null;

/** 份号: six Arabic digits. */
export function copyNumberText(copyNo: string | null): string | null {
  const value = copyNo?.trim();
  if (!value) return null;
  return /^\d{1,6}$/.test(value) ? value.padStart(6, "0") : value;
}

/** "2026-11-29" → "2026年11月29日": Arabic numerals, no leading zeros (GB/T 9704-2012 7.3.5.1). */
export function chineseDate(iso: string | null): string | null {
  if (!iso) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

export interface Segment {
  face: FontFace;
  text: string;
}

/** 仿宋 is the body face; no free 仿宋 exists on npm, LXGW WenKai stands in for it (ADR 7). */
export const BODY_FACE: FontFace = "kai";

const HEADINGS: { pattern: RegExp; face: FontFace }[] = [
  { pattern: /^[一二三四五六七八九十百]+、/, face: "serif-bold" }, // 一级: 黑体
  { pattern: /^（[一二三四五六七八九十百]+）/, face: "kai-bold" }, // 二级: 楷体
  { pattern: /^\d+[.．]/, face: "kai-bold" }, // 三级: 仿宋 (bold, as usually printed)
];

/**
 * A paragraph of the body as runs of one face: a heading ("一、" "（一）" "1.") is set in its face up
 * to its first full stop (a run-in heading) or whole; everything else in the body face.
 */
export function paragraphSegments(paragraph: string): Segment[] {
  const heading = HEADINGS.find((h) => h.pattern.test(paragraph));
  if (!heading) return [{ face: BODY_FACE, text: paragraph }];
  const stop = paragraph.indexOf("。");
  if (stop < 0 || stop === paragraph.length - 1) return [{ face: heading.face, text: paragraph }];
  return [
    { face: heading.face, text: paragraph.slice(0, stop + 1) },
    { face: BODY_FACE, text: paragraph.slice(stop + 1) },
  ];
}

/** Body paragraphs: one per line of input, trimmed (the layout indents), blank lines dropped. */
export const bodyParagraphs = (body: string): string[] =>
  body
    .split(/\r?\n/)
    .map((p) => p.replace(/^[\s\u3000]+|[\s\u3000]+$/g, ""))
    .filter((p) => p.length > 0);
