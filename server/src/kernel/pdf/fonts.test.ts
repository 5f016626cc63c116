import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { extractText } from "./extract";
import { DocumentFonts, type FontFace } from "./fonts";
import { drawSeal } from "./seal";
import { drawText, mm } from "./text";
import { woff2ToSfnt } from "./woff2";

const FACES: FontFace[] = ["serif", "serif-bold", "serif-black", "kai", "kai-bold"];
const LINE = "云溪区人民政府关于印发《2026年数字政府建设要点》的通知（第1号）";

/** Every font object of a document: BaseFont names and whether a font file is embedded. */
function fontsOf(doc: PDFDocument): { name: string; embedded: boolean }[] {
  const out: { name: string; embedded: boolean }[] = [];
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of("Type")) !== PDFName.of("FontDescriptor"))
      continue;
    out.push({
      name: object.get(PDFName.of("FontName"))!.toString(),
      embedded: object.has(PDFName.of("FontFile2")) || object.has(PDFName.of("FontFile3")),
    });
  }
  return out;
}

describe("woff2ToSfnt", () => {
  // Run first in its file: the decoder's heap grows while it converts a whole face.
  it("returns bytes that stay intact while later slices are converted", async () => {
    const dir = path.join(
      path.dirname(createRequire(import.meta.url).resolve("lxgw-wenkai-webfont/package.json")),
      "files",
    );
    const files = readdirSync(dir)
      .filter((f) => f.startsWith("lxgwwenkai-regular-subset-"))
      .map((f) => readFileSync(path.join(dir, f)));
    const kept = await Promise.all(files.slice(0, 8).map((f) => woff2ToSfnt(f)));
    const copies = kept.map((k) => Buffer.from(k));
    for (const file of files.slice(8)) await woff2ToSfnt(file);
    for (const [i, bytes] of kept.entries()) {
      // A TrueType file starts with version 1.0; what was handed out must not change afterwards.
      expect(Buffer.from(bytes.subarray(0, 4)).toString("hex")).toBe("00010000");
      expect(Buffer.from(bytes).equals(copies[i]!), `slice ${i}`).toBe(true);
      expect(Buffer.from(bytes).equals(Buffer.from(await woff2ToSfnt(files[i]!))), `slice ${i}`).toBe(true);
    }
  });
});

describe("DocumentFonts", () => {
  it("embeds subset CJK fonts from the npm packages whose text extracts back", async () => {
    const doc = await PDFDocument.create();
    const fonts = new DocumentFonts(doc);
    const page = doc.addPage([mm(210), mm(297)]);
    for (const [i, face] of FACES.entries()) {
      await fonts.load(face, LINE);
      drawText(page, fonts, LINE, mm(20), mm(270) - i * 30, { face, size: 14 });
    }
    const bytes = await doc.save();
    expect(await extractText(bytes)).toEqual([FACES.map(() => LINE)]);

    const embedded = fontsOf(await PDFDocument.load(bytes));
    expect(embedded.length).toBeGreaterThanOrEqual(FACES.length);
    for (const font of embedded) {
      expect(font.embedded).toBe(true);
      // ISO 32000 9.6.4: a subset's name starts with a six-letter tag.
      expect(font.name).toMatch(/^\/[A-Z]{6}\+(NotoSerifSC|LXGWWenKai)-/);
    }
    // Whole slices would weigh several hundred KB per face; subsets of ~30 glyphs do not.
    expect(bytes.length).toBeLessThan(200_000);
  });

  it("measures Chinese characters a full em wide and Latin digits narrower", async () => {
    const doc = await PDFDocument.create();
    const fonts = new DocumentFonts(doc);
    await fonts.load("kai", "政务2");
    const [zheng, wu, two] = fonts.widths("kai", "政务2", 16);
    expect(zheng).toBeCloseTo(16, 0);
    expect(wu).toBeCloseTo(16, 0);
    expect(two).toBeLessThan(12);
  });

  it("falls back to another face, then to □, for characters a face lacks", async () => {
    const doc = await PDFDocument.create();
    const fonts = new DocumentFonts(doc);
    const page = doc.addPage();
    // U+20000 (CJK extension B) is in none of the packaged slices.
    const text = "甲\u{20000}乙";
    await fonts.load("kai", text);
    drawText(page, fonts, text, 50, 700, { face: "kai", size: 12 });
    expect(
      fonts
        .runs("kai", text)
        .map((r) => r.text)
        .join(""),
    ).toBe("甲□乙");
    expect(await extractText(await doc.save())).toEqual([["甲□乙"]]);
  });

  it("refuses to draw text whose fonts were not loaded", async () => {
    const fonts = new DocumentFonts(await PDFDocument.create());
    expect(() => fonts.runs("serif", "未载")).toThrow(/not loaded/);
  });
});

describe("drawSeal", () => {
  it("draws the ring, star and the organisation's name in red", async () => {
    const doc = await PDFDocument.create();
    const fonts = new DocumentFonts(doc);
    const page = doc.addPage([mm(210), mm(297)]);
    await drawSeal(page, fonts, mm(105), mm(150), { name: "云溪区人民政府", bottomText: "公文专用章" });
    const bytes = await doc.save({ useObjectStreams: false });
    const text = (await extractText(bytes))[0]!.join("");
    for (const ch of "云溪区人民政府公文专用章") expect(text).toContain(ch);
    const content = await contentOf(bytes);
    // Red fill and stroke (0.902 0 0.071), multiplied over what lies beneath.
    expect(content).toMatch(/0\.9\d* 0 0\.07\d* rg/);
    expect(content).toMatch(/0\.9\d* 0 0\.07\d* RG/);
    expect(Buffer.from(bytes).toString("latin1")).toContain("/BM /Multiply");
  });
});

async function contentOf(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes);
  const contents = doc.getPages()[0]!.node.Contents();
  const streams =
    contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents];
  return streams
    .filter((s): s is PDFRawStream => s instanceof PDFRawStream)
    .map((s) => Buffer.from(decodePDFRawStream(s).decode()).toString("latin1"))
    .join("\n");
}
