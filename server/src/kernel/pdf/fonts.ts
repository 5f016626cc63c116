import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import fontkit from "@pdf-lib/fontkit";
import type { PDFDocument, PDFFont } from "pdf-lib";
import { woff2ToSfnt } from "./woff2";

/**
 * CJK fonts for PDFs, from npm packages (never the machine's fonts: a fresh machine has none).
 *
 * The packages ship each face as ~100 WOFF2 slices with a CSS `unicode-range` per slice. A document
 * embeds, subset to the glyphs it uses, only the slices its text touches. pdf-lib's subsetter copies
 * raw `glyf` data, which a WOFF2 file stores transformed, so each slice is first converted to plain
 * TrueType (`woff2ToSfnt`); converted slices and their parsed fontkit objects are cached for the
 * life of the process, so only the first document that needs a slice pays for it.
 *
 * Faces (no free 仿宋 or 小标宋 is on npm, see ADR 7):
 * - serif / serif-bold / serif-black: Noto Serif SC (OFL-1.1) — 宋体 and, bold, 小标宋 / 黑体 stand-ins;
 * - kai / kai-bold: LXGW WenKai (OFL-1.1) — 楷体, and the stand-in for 仿宋.
 */
export type FontFace = "serif" | "serif-bold" | "serif-black" | "kai" | "kai-bold";

const FACES: Record<FontFace, { pkg: string; css: string; postscript: string }> = {
  serif: { pkg: "noto-serif-sc", css: "noto_serif_sc_regular/css.css", postscript: "NotoSerifSC-Regular" },
  "serif-bold": { pkg: "noto-serif-sc", css: "noto_serif_sc_bold/css.css", postscript: "NotoSerifSC-Bold" },
  "serif-black": {
    pkg: "noto-serif-sc",
    css: "noto_serif_sc_black/css.css",
    postscript: "NotoSerifSC-Black",
  },
  kai: { pkg: "lxgw-wenkai-webfont", css: "lxgwwenkai-regular.css", postscript: "LXGWWenKai-Regular" },
  "kai-bold": { pkg: "lxgw-wenkai-webfont", css: "lxgwwenkai-bold.css", postscript: "LXGWWenKai-Bold" },
};

/** Where a face has no glyph for a character, these are tried in order, then REPLACEMENT. */
const FALLBACK: FontFace[] = ["serif", "kai"];
const REPLACEMENT = 0x25a1; // □

const require = createRequire(import.meta.url);

/** Code point → slice file, per face. */
const indexes = new Map<FontFace, Promise<Map<number, string>>>();
/** Slice file → TrueType bytes. */
const slices = new Map<string, Promise<Uint8Array>>();
/** TrueType bytes → parsed font, so pdf-lib does not parse a slice again for every document. */
const parsed = new WeakMap<Uint8Array, fontkit.Font>();

function faceIndex(face: FontFace): Promise<Map<number, string>> {
  let index = indexes.get(face);
  if (!index) {
    index = (async () => {
      const { pkg, css } = FACES[face];
      const cssFile = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), css);
      const text = await readFile(cssFile, "utf8");
      const map = new Map<number, string>();
      const rule = /src:\s*url\(['"]?([^'")]+)['"]?\)[^;]*;\s*unicode-range:\s*([^;}]+)/g;
      for (const [, url, ranges] of text.matchAll(rule)) {
        const file = path.join(path.dirname(cssFile), url!);
        for (const range of ranges!.split(",")) {
          const [from, to] = range.trim().replace(/^U\+/i, "").split("-");
          const first = Number.parseInt(from!, 16);
          const last = to ? Number.parseInt(to, 16) : first;
          for (let cp = first; cp <= last; cp++) if (!map.has(cp)) map.set(cp, file);
        }
      }
      if (map.size === 0) throw new Error(`no unicode ranges in ${cssFile}`);
      return map;
    })();
    index.catch(() => indexes.delete(face));
    indexes.set(face, index);
  }
  return index;
}

function sliceBytes(file: string): Promise<Uint8Array> {
  let bytes = slices.get(file);
  if (!bytes) {
    bytes = readFile(file).then(woff2ToSfnt);
    bytes.catch(() => slices.delete(file));
    slices.set(file, bytes);
  }
  return bytes;
}

/** fontkit as pdf-lib sees it, answering from the cache of parsed slices. */
const cachingFontkit = {
  create(bytes: Uint8Array): fontkit.Font {
    let font = parsed.get(bytes);
    if (!font) {
      font = fontkit.create(bytes);
      parsed.set(bytes, font);
    }
    return font;
  },
};

export interface GlyphRun {
  font: PDFFont;
  text: string;
}

/**
 * The fonts of one PDF document. `load()` embeds what a text needs (async: slices may have to be
 * read); afterwards `runs()` and `width()` answer synchronously for that text.
 */
export class DocumentFonts {
  private readonly embedded = new Map<string, Promise<PDFFont>>();
  private readonly ready = new Map<string, PDFFont>();
  /** `${face}\u0000${char}` → the slice file that draws it (after fallback). */
  private readonly choice = new Map<string, { file: string; char: string; face: FontFace }>();
  private subsetCounter = 0;

  constructor(private readonly doc: PDFDocument) {
    doc.registerFontkit(cachingFontkit);
  }

  async load(face: FontFace, text: string): Promise<void> {
    const pending: Promise<unknown>[] = [];
    for (const char of new Set(text)) {
      const key = `${face}\u0000${char}`;
      if (this.choice.has(key)) continue;
      const pick = await this.pick(face, char);
      this.choice.set(key, pick);
      pending.push(this.embed(pick.face, pick.file));
    }
    await Promise.all(pending);
  }

  private async pick(face: FontFace, char: string): Promise<{ file: string; char: string; face: FontFace }> {
    const cp = char.codePointAt(0)!;
    for (const candidate of [face, ...FALLBACK]) {
      const file = (await faceIndex(candidate)).get(cp);
      if (file) return { file, char, face: candidate };
    }
    const file = (await faceIndex("serif")).get(REPLACEMENT);
    if (!file) throw new Error("no replacement glyph");
    return { file, char: String.fromCodePoint(REPLACEMENT), face: "serif" };
  }

  private embed(face: FontFace, file: string): Promise<PDFFont> {
    let font = this.embedded.get(file);
    if (!font) {
      font = sliceBytes(file).then(async (bytes) => {
        // A subset font's name carries a six-letter tag (ISO 32000 9.6.4).
        const tag = subsetTag(this.subsetCounter++);
        const pdfFont = await this.doc.embedFont(bytes, {
          subset: true,
          customName: `${tag}+${FACES[face].postscript}`,
        });
        this.ready.set(file, pdfFont);
        return pdfFont;
      });
      this.embedded.set(file, font);
    }
    return font;
  }

  /** Splits text into runs drawn by one embedded font each. The text must have been load()ed. */
  runs(face: FontFace, text: string): GlyphRun[] {
    const out: GlyphRun[] = [];
    for (const ch of text) {
      const pick = this.choice.get(`${face}\u0000${ch}`);
      if (!pick) throw new Error(`font "${face}" was not loaded for "${ch}"`);
      const font = this.ready.get(pick.file)!;
      const last = out[out.length - 1];
      if (last && last.font === font) last.text += pick.char;
      else out.push({ font, text: pick.char });
    }
    return out;
  }

  /** Advance width of each character at the given size (points). */
  widths(face: FontFace, text: string, size: number): number[] {
    const out: number[] = [];
    for (const run of this.runs(face, text)) {
      for (const ch of run.text) out.push(run.font.widthOfTextAtSize(ch, size));
    }
    return out;
  }

  width(face: FontFace, text: string, size: number): number {
    return this.widths(face, text, size).reduce((a, b) => a + b, 0);
  }
}

function subsetTag(n: number): string {
  let tag = "";
  for (let i = 0, v = n; i < 6; i++, v = Math.floor(v / 26)) tag = String.fromCharCode(65 + (v % 26)) + tag;
  return tag;
}
