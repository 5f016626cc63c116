import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef } from "pdf-lib";

/**
 * The text of PDFs this facility writes, page by page and line by line, in process (tests check
 * rendered documents with it where `pdftotext` is not installed). It reads `Tj` strings through the
 * fonts' ToUnicode maps and groups them by baseline; it is not a general PDF text extractor.
 */
export async function extractText(pdf: Uint8Array): Promise<string[][]> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  return doc.getPages().map((page) => {
    const resources = page.node.Resources();
    const fontDict = resources?.lookupMaybe(PDFName.of("Font"), PDFDict);
    const maps = new Map<string, Map<number, string>>();
    for (const [name, ref] of fontDict?.entries() ?? []) {
      const font = doc.context.lookup(ref, PDFDict);
      const toUnicode = font.lookup(PDFName.of("ToUnicode"));
      maps.set(
        name.asString(),
        toUnicode instanceof PDFRawStream ? parseToUnicode(streamText(toUnicode)) : new Map(),
      );
    }
    const contents = page.node.Contents();
    const streams: PDFRawStream[] = [];
    if (contents instanceof PDFRawStream) streams.push(contents);
    else if (contents instanceof PDFArray) {
      for (const item of contents.asArray()) {
        const stream = item instanceof PDFRef ? doc.context.lookup(item) : item;
        if (stream instanceof PDFRawStream) streams.push(stream);
      }
    }
    const lines = new Map<number, string>();
    let font: Map<number, string> | undefined;
    let y = 0;
    const ops = /(\/[^\s/]+)\s+[-\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj|(?:[-\d.]+\s+){5}([-\d.]+)\s+Tm/g;
    for (const stream of streams) {
      for (const m of streamText(stream).matchAll(ops)) {
        if (m[1]) font = maps.get(m[1]);
        else if (m[3]) y = Math.round(Number(m[3]));
        else if (m[2] !== undefined && font) {
          let text = "";
          for (let i = 0; i + 4 <= m[2].length; i += 4)
            text += font.get(Number.parseInt(m[2].slice(i, i + 4), 16)) ?? "";
          lines.set(y, (lines.get(y) ?? "") + text);
        }
      }
    }
    return [...lines.entries()].sort((a, b) => b[0] - a[0]).map(([, text]) => text);
  });
}

function streamText(stream: PDFRawStream): string {
  return Buffer.from(decodePDFRawStream(stream).decode()).toString("latin1");
}

/** bfchar and bfrange entries of a ToUnicode CMap (UTF-16BE destinations). */
function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (hex: string) => Buffer.from(hex, "hex").swap16().toString("utf16le");
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, src, dst] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      map.set(Number.parseInt(src!, 16), utf16(dst!));
    }
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, dst] of block[1]!.matchAll(
      /<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g,
    )) {
      const start = Number.parseInt(lo!, 16);
      const first = Number.parseInt(dst!, 16);
      for (let code = start; code <= Number.parseInt(hi!, 16); code++) {
        map.set(code, String.fromCodePoint(first + code - start));
      }
    }
  }
  return map;
}
