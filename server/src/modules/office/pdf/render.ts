import { PDFDocument, type PDFPage } from "pdf-lib";
import {
  BLACK,
  breakLines,
  DocumentFonts,
  drawSeal,
  drawText,
  type FontFace,
  mm,
  SEAL_RED,
  textWidth,
} from "../../../kernel/pdf";
import {
  BODY_FACE,
  bodyParagraphs,
  chineseDate,
  classificationText,
  copyNumberText,
  paragraphSegments,
  type Segment,
  urgencyText,
} from "./format";
import { titleLines } from "./title";

/** The elements of a 公文 as GB/T 9704-2012 lays them out. */
export interface OfficialDocumentLayout {
  copyNo: string | null; // 份号, 6 digits, top left
  classification: "none" | "secret" | "confidential" | "top_secret"; // 密级: 秘密/机密/绝密
  secrecyPeriod: string | null; // 保密期限, printed "机密★5年"
  urgency: "normal" | "urgent" | "extra_urgent"; // 紧急程度: 加急 / 特急
  organMark: string; // 发文机关标志, red, centred, e.g. "云溪区人民政府文件"
  number: string | null; // 发文字号 e.g. 云府〔2026〕12号 (centred; left when signer set)
  signer: string | null; // 签发人 (上行文: 请示/报告) — right of the number
  title: string; // 标题
  mainRecipients: string[]; // 主送机关, joined with "、", ends with "："
  body: string; // 正文; paragraphs separated by \n; headings "一、" "（一）" "1."
  attachmentNotes: string[]; // 附件说明: "附件：1. …" under the body
  signatureOrg: string; // 发文机关署名
  writtenDate: string | null; // 成文日期 ISO yyyy-mm-dd, printed "2026年11月29日"
  seal: { name: string; bottomText?: string } | null; // drawn over 署名/日期 when present
  note: string | null; // 附注, in parentheses
  ccRecipients: string[]; // 抄送 (版记)
  printingOrg: string | null; // 印发机关
  printingDate: string | null; // 印发日期 ("2026年11月29日印发")
}

// --- Geometry, GB/T 9704-2012 5.2 and 7 (points) -------------------------------------------------
const PAGE_WIDTH = mm(210);
const PAGE_HEIGHT = mm(297);
const LEFT = mm(28);
const WIDTH = mm(156);
const RIGHT = LEFT + WIDTH;
const TOP_Y = PAGE_HEIGHT - mm(37); // top edge of the 版心
const BOTTOM_Y = TOP_Y - mm(225);
/** 22 lines of 28 characters of 3号 in the 版心. */
const PITCH = WIDTH / 28;
const LINE = mm(225) / 22;
const SIZE_2 = 22; // 2号
const SIZE_3 = 16; // 3号
const SIZE_4 = 14; // 4号
/** Characters of 3号 sit on a grid slightly tighter than their 16 pt body. */
const TRACKING = PITCH - SIZE_3;
const RED = SEAL_RED;
const SEAL_DIAMETER = mm(42);

/** The baseline of text of `size` centred in the line box whose top is `top` (CJK em box: +0.88/−0.12). */
const baselineIn = (top: number, size: number) => top - LINE / 2 - size * 0.38;

interface Glyph {
  ch: string;
  face: FontFace;
  advance: number;
  /** Set for a glyph drawn on its own, this far right of its cell (full-width quotes). */
  lead?: number;
}

const OPENING_QUOTES = new Set(["“", "‘"]);
const CLOSING_QUOTES = new Set(["”", "’"]);

interface Item {
  height: number;
  /** "line" items may move to the next page with a following block that keeps them. */
  kind: "line" | "blank" | "block";
  /** Lines before this item that must share its page (the 署名 block never stands alone). */
  keepWithPrevious?: number;
  draw(page: PDFPage, top: number): void | Promise<void>;
}

const blank = (lines = 1): Item => ({ height: LINE * lines, kind: "blank", draw: () => {} });

class Layout {
  constructor(readonly fonts: DocumentFonts) {}

  async load(segments: Segment[]): Promise<void> {
    for (const s of segments) await this.fonts.load(s.face, s.text);
  }

  glyphs(segments: Segment[], size: number, tracking: number): Glyph[] {
    const out: Glyph[] = [];
    for (const { face, text } of segments) {
      const widths = this.fonts.widths(face, text, size);
      [...text].forEach((ch, i) => {
        const natural = widths[i]!;
        // Chinese text takes its quotation marks full width (GB/T 15834); the fonts draw them narrow.
        if ((OPENING_QUOTES.has(ch) || CLOSING_QUOTES.has(ch)) && natural < size) {
          const lead = OPENING_QUOTES.has(ch) ? size - natural : 0;
          out.push({ ch, face, advance: size + tracking, lead });
        } else out.push({ ch, face, advance: natural + tracking });
      });
    }
    return out;
  }

  /** Draws glyphs from x on a baseline; `extra` widens every gap (justification). */
  drawGlyphs(
    page: PDFPage,
    glyphs: Glyph[],
    x: number,
    y: number,
    size: number,
    tracking: number,
    extra = 0,
  ) {
    let start = 0;
    let cursor = x;
    while (start < glyphs.length) {
      const first = glyphs[start]!;
      if (first.lead !== undefined) {
        drawText(page, this.fonts, first.ch, cursor + first.lead, y, { face: first.face, size });
        cursor += first.advance + extra;
        start++;
        continue;
      }
      let end = start;
      let width = 0;
      while (end < glyphs.length && glyphs[end]!.face === first.face && glyphs[end]!.lead === undefined) {
        width += glyphs[end++]!.advance + extra;
      }
      const text = glyphs
        .slice(start, end)
        .map((g) => g.ch)
        .join("");
      drawText(page, this.fonts, text, cursor, y, { face: first.face, size, charSpacing: tracking + extra });
      cursor += width;
      start = end;
    }
  }

  /**
   * A paragraph as line items: `indent` before the first line, `hang` before the others; every line
   * but the last is justified to the full width.
   */
  paragraph(
    segments: Segment[],
    options: { size?: number; indent?: number; hang?: number; x?: number } = {},
  ) {
    const size = options.size ?? SIZE_3;
    const tracking = size === SIZE_3 ? TRACKING : 0;
    const x = options.x ?? LEFT;
    const indent = options.indent ?? 0;
    const hang = options.hang ?? 0;
    const glyphs = this.glyphs(segments, size, tracking);
    const advances = glyphs.map((g) => g.advance);
    const available = RIGHT - x;
    const lines = breakLines(
      glyphs.map((g) => g.ch),
      advances,
      available - hang,
      available - indent,
    );
    return lines.map((line, i): Item => {
      const lineGlyphs = glyphs.slice(line.start, line.end);
      const offset = i === 0 ? indent : hang;
      const slack = available - offset - line.width;
      const extra = line.last || lineGlyphs.length < 2 ? 0 : Math.max(0, slack) / (lineGlyphs.length - 1);
      return {
        height: LINE,
        kind: "line",
        draw: (page, top) =>
          this.drawGlyphs(page, lineGlyphs, x + offset, baselineIn(top, size), size, tracking, extra),
      };
    });
  }

  width(face: FontFace, text: string, size: number, tracking = 0): number {
    return textWidth(this.fonts, text, { face, size, charSpacing: tracking });
  }

  /** A single line of one face at (x, baseline). */
  text(page: PDFPage, face: FontFace, text: string, x: number, y: number, size: number, color = BLACK) {
    drawText(page, this.fonts, text, x, y, {
      face,
      size,
      color,
      charSpacing: size === SIZE_3 ? TRACKING : 0,
    });
  }
}

/** The title in 2号 小标宋, broken where its words allow into lines of similar length. */
function titleGlyphLines(layout: Layout, title: string): Glyph[][] {
  const glyphs = layout.glyphs([{ face: "serif-bold", text: title }], SIZE_2, 0);
  const ranges = titleLines(
    glyphs.map((g) => g.ch),
    glyphs.map((g) => g.advance),
    WIDTH,
    SIZE_2,
  );
  return ranges.map(([start, end]) => glyphs.slice(start, end));
}

/** 版头: 份号, 密级, 紧急程度, 发文机关标志, 发文字号 and 签发人, the red line. Returns where 标题 goes. */
async function drawHead(layout: Layout, page: PDFPage, doc: OfficialDocumentLayout): Promise<number> {
  const marks = [
    { face: BODY_FACE, text: copyNumberText(doc.copyNo) },
    { face: "serif-bold" as const, text: classificationText(doc.classification, doc.secrecyPeriod) },
    { face: "serif-bold" as const, text: urgencyText(doc.urgency) },
  ].filter((m): m is Segment => m.text !== null);
  for (const [i, m] of marks.entries()) {
    layout.text(page, m.face, m.text, LEFT, baselineIn(TOP_Y - i * LINE, SIZE_3), SIZE_3);
  }

  // 发文机关标志: red 小标宋, its top 35 mm (上行文: 80 mm) below the top of the 版心; condensed to fit.
  const upward = doc.signer !== null && doc.signer.trim() !== "";
  const markTop = TOP_Y - mm(upward ? 80 : 35);
  let size = 44;
  const natural = layout.width("serif-black", doc.organMark, size);
  let scale = Math.min(100, (WIDTH / natural) * 100);
  if (scale < 60) {
    size = (size * scale) / 60;
    scale = 60;
  }
  const markWidth = (layout.width("serif-black", doc.organMark, size) * scale) / 100;
  drawText(page, layout.fonts, doc.organMark, LEFT + (WIDTH - markWidth) / 2, markTop - size * 0.88, {
    face: "serif-black",
    size,
    color: RED,
    horizontalScale: scale,
  });

  // 发文字号 two lines below the mark; centred, or left (one character in) with 签发人 on the right.
  const numberTop = markTop - size - 2 * LINE;
  const numberBaseline = baselineIn(numberTop, SIZE_3);
  const number = doc.number ?? "";
  if (upward) {
    layout.text(page, BODY_FACE, number, LEFT + PITCH, numberBaseline, SIZE_3);
    const label = "签发人：";
    const name = doc.signer!.trim();
    const nameWidth = layout.width("kai", name, SIZE_3, TRACKING);
    const labelWidth = layout.width(BODY_FACE, label, SIZE_3, TRACKING) + TRACKING;
    const nameX = RIGHT - PITCH - nameWidth;
    layout.text(page, BODY_FACE, label, nameX - labelWidth, numberBaseline, SIZE_3);
    layout.text(page, "kai", name, nameX, numberBaseline, SIZE_3);
  } else if (number) {
    const w = layout.width(BODY_FACE, number, SIZE_3, TRACKING);
    layout.text(page, BODY_FACE, number, LEFT + (WIDTH - w) / 2, numberBaseline, SIZE_3);
  }

  // The red separator 4 mm below the number, as wide as the 版心.
  const redY = numberBaseline - SIZE_3 * 0.12 - mm(4);
  page.drawLine({ start: { x: LEFT, y: redY }, end: { x: RIGHT, y: redY }, thickness: mm(0.5), color: RED });
  return redY - 2 * LINE;
}

/** 发文机关署名, 成文日期, the seal over them, and 附注 (GB/T 9704-2012 7.3.5). */
function closingBlock(layout: Layout, doc: OfficialDocumentLayout): Item {
  const date = chineseDate(doc.writtenDate);
  const org = doc.signatureOrg.trim();
  const orgWidth = layout.width(BODY_FACE, org, SIZE_3, TRACKING);
  const dateWidth = date ? layout.width(BODY_FACE, date, SIZE_3, TRACKING) : 0;
  const sealed = doc.seal !== null;
  // Sealed: the date four characters from the right, the name centred above it, both below the
  // seal's centre (the star stands above the name) and the seal's top within a line of the text.
  // Unsealed: name two characters from the right, the date on the next line two characters further in.
  let orgX: number;
  let dateX: number;
  const orgTopOffset = sealed ? 3 * LINE : LINE;
  /** How far the seal's centre stands above the middle of the 署名 line. */
  const sealRaise = 0.85 * LINE;
  if (sealed) {
    const centre = date ? RIGHT - 4 * PITCH - dateWidth / 2 : RIGHT - 8.5 * PITCH;
    dateX = centre - dateWidth / 2;
    orgX = Math.max(LEFT, centre - orgWidth / 2);
  } else {
    orgX = RIGHT - 2 * PITCH - orgWidth;
    dateX = orgX + 2 * PITCH;
    if (dateX + dateWidth > RIGHT - 2 * PITCH) {
      dateX = RIGHT - 2 * PITCH - dateWidth;
      orgX = dateX - 2 * PITCH;
    }
  }
  const lines = 2 + (doc.note ? 1 : 0);
  const sealBottom = sealed ? orgTopOffset + LINE / 2 - sealRaise + SEAL_DIAMETER / 2 : 0;
  return {
    kind: "block",
    keepWithPrevious: 2,
    height: Math.max(orgTopOffset + lines * LINE, sealBottom),
    draw: async (page, top) => {
      const orgTop = top - orgTopOffset;
      if (org) layout.text(page, BODY_FACE, org, orgX, baselineIn(orgTop, SIZE_3), SIZE_3);
      if (date) layout.text(page, BODY_FACE, date, dateX, baselineIn(orgTop - LINE, SIZE_3), SIZE_3);
      if (doc.note) {
        layout.text(
          page,
          BODY_FACE,
          `（${doc.note}）`,
          LEFT + 2 * PITCH,
          baselineIn(orgTop - 2 * LINE, SIZE_3),
          SIZE_3,
        );
      }
      if (doc.seal) {
        const cx = date ? dateX + dateWidth / 2 : orgX + orgWidth / 2;
        const cy = orgTop - LINE / 2 + sealRaise;
        await drawSeal(page, layout.fonts, cx, cy, { ...doc.seal, diameter: SEAL_DIAMETER });
      }
    },
  };
}

/** 版记: 抄送 and 印发机关/日期 between rules at the foot of the last page. */
function imprint(
  layout: Layout,
  doc: OfficialDocumentLayout,
): { height: number; draw(page: PDFPage): void } | null {
  const printing = doc.printingOrg || doc.printingDate;
  if (doc.ccRecipients.length === 0 && !printing) return null;
  const cc =
    doc.ccRecipients.length > 0
      ? layout.paragraph([{ face: BODY_FACE, text: `抄送：${doc.ccRecipients.join("，")}。` }], {
          size: SIZE_4,
          x: LEFT + SIZE_4,
          hang: layout.width(BODY_FACE, "抄送：", SIZE_4),
        })
      : [];
  // The cc lines must not run into the right margin of one character either.
  const height = (cc.length + (printing ? 1 : 0)) * LINE;
  return {
    height,
    draw: (page) => {
      const top = BOTTOM_Y + height;
      const rule = (y: number, thick: boolean) =>
        page.drawLine({
          start: { x: LEFT, y },
          end: { x: RIGHT, y },
          thickness: mm(thick ? 0.35 : 0.25),
          color: BLACK,
        });
      rule(top, true);
      for (const [i, item] of cc.entries()) item.draw(page, top - i * LINE);
      if (printing) {
        const y = BOTTOM_Y + LINE;
        if (cc.length > 0) rule(y, false);
        const base = baselineIn(y, SIZE_4);
        if (doc.printingOrg) layout.text(page, BODY_FACE, doc.printingOrg, LEFT + SIZE_4, base, SIZE_4);
        const date = doc.printingDate ? `${chineseDate(doc.printingDate)}印发` : null;
        if (date) {
          const w = layout.width(BODY_FACE, date, SIZE_4);
          layout.text(page, BODY_FACE, date, RIGHT - SIZE_4 - w, base, SIZE_4);
        }
      }
      rule(BOTTOM_Y, true);
    },
  };
}

/** "— 1 —" in 4号 宋体 7 mm under the 版心: right on odd pages, left on even (one character in). */
function drawPageNumber(layout: Layout, page: PDFPage, n: number) {
  const text = `— ${n} —`;
  const w = layout.width("serif", text, SIZE_4);
  const x = n % 2 === 1 ? RIGHT - SIZE_4 - w : LEFT + SIZE_4;
  layout.text(page, "serif", text, x, BOTTOM_Y - mm(7) - SIZE_4 * 0.62, SIZE_4);
}

/** Renders a 公文 as an A4 PDF laid out per GB/T 9704-2012. */
export async function renderOfficialDocument(doc: OfficialDocumentLayout): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(doc.title, { showInWindowTitleBar: true });
  pdf.setProducer("Fourfold");
  pdf.setCreator("Fourfold 一网协同");
  pdf.setLanguage("zh-CN");
  if (doc.number) pdf.setSubject(doc.number);
  const layout = new Layout(new DocumentFonts(pdf));

  const paragraphs = bodyParagraphs(doc.body).map(paragraphSegments);
  const recipients = doc.mainRecipients.length > 0 ? `${doc.mainRecipients.join("、")}：` : null;
  const attachments = doc.attachmentNotes.map((name, i) =>
    doc.attachmentNotes.length > 1 ? `${i + 1}. ${name}` : name,
  );
  const bodyText = [
    recipients ?? "",
    doc.number ?? "",
    doc.signer ?? "",
    "签发人：附件：（）。，",
    ...attachments,
    doc.signatureOrg,
    chineseDate(doc.writtenDate) ?? "",
    doc.note ?? "",
    ...doc.ccRecipients,
    doc.printingOrg ?? "",
    chineseDate(doc.printingDate) ?? "",
    "印发抄送0123456789",
  ].join("");
  await layout.load([
    { face: BODY_FACE, text: bodyText },
    { face: "serif-black", text: doc.organMark },
    {
      face: "serif-bold",
      text: `${doc.title}${classificationText(doc.classification, doc.secrecyPeriod) ?? ""}`,
    },
    { face: "serif-bold", text: urgencyText(doc.urgency) ?? "" },
    { face: "serif", text: "— 0123456789" },
    ...paragraphs.flat(),
  ]);

  // 主体: 标题, 主送机关, 正文, 附件说明, then the 署名 block.
  const items: Item[] = [];
  for (const line of titleGlyphLines(layout, doc.title.trim())) {
    const width = line.reduce((a, g) => a + g.advance, 0);
    items.push({
      height: LINE,
      kind: "line",
      draw: (page, top) =>
        layout.drawGlyphs(page, line, LEFT + (WIDTH - width) / 2, baselineIn(top, SIZE_2), SIZE_2, 0),
    });
  }
  items.push(blank());
  if (recipients) items.push(...layout.paragraph([{ face: BODY_FACE, text: recipients }]));
  for (const segments of paragraphs) items.push(...layout.paragraph(segments, { indent: 2 * PITCH }));
  if (attachments.length > 0) {
    items.push(blank());
    const label = "附件：";
    const labelWidth = layout.width(BODY_FACE, label, SIZE_3, TRACKING) + TRACKING;
    attachments.forEach((text, i) => {
      const numberWidth =
        attachments.length > 1 ? layout.width(BODY_FACE, `${i + 1}. `, SIZE_3, TRACKING) : 0;
      items.push(
        ...layout.paragraph([{ face: BODY_FACE, text: i === 0 ? `${label}${text}` : text }], {
          x: LEFT + 2 * PITCH + (i === 0 ? 0 : labelWidth),
          indent: 0,
          hang: (i === 0 ? labelWidth : 0) + numberWidth + TRACKING,
        }),
      );
    });
  }
  items.push(closingBlock(layout, doc));

  // Paginate. A block that does not fit takes the last lines of text with it to the next page, so a
  // page never holds the 署名 alone (GB/T 9704-2012 7.3.5.3 forbids "此页无正文").
  const firstPage = pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
  const pages: { page: PDFPage; placed: { item: Item; top: number }[]; y: number }[] = [];
  pages.push({ page: firstPage, placed: [], y: await drawHead(layout, firstPage, doc) });
  for (const item of items) {
    let current = pages[pages.length - 1]!;
    if (current.y - item.height < BOTTOM_Y - 0.5) {
      const carried: Item[] = [];
      for (let keep = item.keepWithPrevious ?? 0; keep > 0; ) {
        const last = current.placed[current.placed.length - 1];
        if (!last || last.item.kind === "block" || current.placed.length <= 1) break;
        current.placed.pop();
        if (last.item.kind === "line") keep--;
        carried.unshift(last.item);
      }
      current = { page: pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT]), placed: [], y: TOP_Y };
      pages.push(current);
      for (const moved of carried) {
        if (moved.kind === "blank" && current.placed.length === 0) continue;
        current.placed.push({ item: moved, top: current.y });
        current.y -= moved.height;
      }
    }
    if (item.kind === "blank" && current.placed.length === 0 && current.y === TOP_Y) continue;
    current.placed.push({ item, top: current.y });
    current.y -= item.height;
  }

  // 版记 at the foot of the last page, or of a page of its own when the text reaches too low.
  const foot = imprint(layout, doc);
  if (foot) {
    const last = pages[pages.length - 1]!;
    if (last.y - LINE < BOTTOM_Y + foot.height) {
      pages.push({ page: pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT]), placed: [], y: TOP_Y });
    }
  }

  for (const [i, { page, placed }] of pages.entries()) {
    for (const { item, top } of placed) await item.draw(page, top);
    drawPageNumber(layout, page, i + 1);
  }
  if (foot) foot.draw(pages[pages.length - 1]!.page);
  return pdf.save();
}
