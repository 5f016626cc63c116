import { PDFDocument } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { extractText, mm } from "../../../kernel/pdf";
import { type OfficialDocumentLayout, renderOfficialDocument } from "./render";
import { sampleDocument } from "./sample";

const PAGE_NUMBER = /^— \d+ —$/;
const NO_LINE_START = /^[，。、；：？！）》」』】〕…—”’]/;

/** Lines of every page, and the text of the pages run together without page numbers. */
async function read(pdf: Uint8Array) {
  const pages = await extractText(pdf);
  const flowing = pages
    .flat()
    .filter((l) => !PAGE_NUMBER.test(l))
    .join("");
  return { pages, flowing };
}

describe("renderOfficialDocument (GB/T 9704)", () => {
  const doc = sampleDocument(1);
  let pdf: Uint8Array;

  beforeAll(async () => {
    pdf = await renderOfficialDocument(doc);
  });

  it("lays out every element of the 公文, in order", async () => {
    const { pages, flowing } = await read(pdf);
    const first = pages[0]!;
    expect(first.slice(0, 4)).toEqual(["000012", "加急", "云溪区人民政府文件", "云府〔2026〕12号"]);
    // The title may run over lines; it comes right after the number.
    expect(first.slice(4, 6).join("")).toBe(doc.title);
    expect(first[6]).toBe("各镇人民政府、街道办事处、区政府各部门、各直属机构：");
    for (const paragraph of doc.body.split("\n")) expect(flowing).toContain(paragraph);
    const order = [
      doc.title,
      "附件：1. 云溪区数字政府“四网融合”建设重点任务分工表",
      "2. 云溪区政务服务事项网上可办清单（2026年版）",
      "云溪区人民政府2026年11月29日",
      "（此件公开发布）",
      "抄送：区委各部门，区人大常委会办公室，区政协办公室，区法院，区检察院，区人武部。",
      "云溪区人民政府办公室2026年11月29日印发",
    ];
    const positions = order.map((text) => flowing.indexOf(text));
    for (const [i, at] of positions.entries()) expect(at, order[i]).toBeGreaterThanOrEqual(0);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('numbers pages "— n —" and writes the title and producer into the metadata', async () => {
    const { pages } = await read(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const [i, lines] of pages.entries()) expect(lines[lines.length - 1]).toBe(`— ${i + 1} —`);
    const loaded = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(loaded.getTitle()).toBe(doc.title);
    expect(loaded.getProducer()).toBe("Fourfold");
    for (const page of loaded.getPages()) {
      expect(page.getWidth()).toBeCloseTo(mm(210), 1);
      expect(page.getHeight()).toBeCloseTo(mm(297), 1);
    }
  });

  it("flows a long body over several pages without starting a line with closing punctuation", async () => {
    const long = sampleDocument(5);
    const { pages, flowing } = await read(await renderOfficialDocument(long));
    expect(pages.length).toBeGreaterThanOrEqual(6);
    for (const line of pages.flat().filter((l) => !PAGE_NUMBER.test(l)))
      expect(line).not.toMatch(NO_LINE_START);
    expect(flowing).toContain(long.body.split("\n").slice(-1)[0]);
  });

  it("never leaves the 署名 and 日期 alone on a page (no 此页无正文)", async () => {
    const paragraph = "各部门要按照职责分工，认真组织实施，确保各项任务落到实处。";
    for (let count = 10; count <= 22; count++) {
      const layout: OfficialDocumentLayout = {
        ...sampleDocument(1),
        body: Array(count).fill(paragraph).join("\n"),
        attachmentNotes: [],
        seal: null,
        note: null,
        ccRecipients: [],
        printingOrg: null,
        printingDate: null,
      };
      const { pages } = await read(await renderOfficialDocument(layout));
      const page = pages.find((lines) => lines.includes("2026年11月29日"))!;
      const text = page.filter(
        (l) => !PAGE_NUMBER.test(l) && l !== "云溪区人民政府" && l !== "2026年11月29日",
      );
      expect(text.length, `${count} paragraphs`).toBeGreaterThan(0);
    }
  });

  it("prints 上行文 with 签发人 beside the number and the secrecy marks", async () => {
    const upward: OfficialDocumentLayout = {
      ...sampleDocument(1),
      signer: "李明",
      classification: "confidential",
      secrecyPeriod: "5",
      urgency: "extra_urgent",
      number: "云政数〔2026〕3号",
      seal: { name: "云溪区政务服务数据管理局", bottomText: "公文专用章" },
    };
    const { pages, flowing } = await read(await renderOfficialDocument(upward));
    expect(pages[0]!.slice(0, 3)).toEqual(["000012", "机密★5年", "特急"]);
    expect(pages[0]).toContain("云政数〔2026〕3号签发人：李明");
    for (const ch of "公文专用章") expect(flowing).toContain(ch);
  });

  it("renders a three-page document well within a request's time once warm", async () => {
    await renderOfficialDocument(doc);
    const started = performance.now();
    const rendered = await renderOfficialDocument(doc);
    const elapsed = performance.now() - started;
    expect((await PDFDocument.load(rendered)).getPageCount()).toBe(3);
    // Measured ~90–160 ms on the 2-core CI machine; the bound leaves room for a busy machine.
    expect(elapsed).toBeLessThan(1000);
  });
});
