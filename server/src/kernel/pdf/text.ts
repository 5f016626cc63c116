import {
  beginText,
  endText,
  type PDFFont,
  type PDFName,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  type RGB,
  rgb,
  setCharacterSpacing,
  setCharacterSqueeze,
  setFillingRgbColor,
  setFontAndSize,
  setTextMatrix,
  showText,
} from "pdf-lib";
import type { DocumentFonts, FontFace } from "./fonts";

/** Millimetres to PDF points. */
export const mm = (value: number): number => (value * 72) / 25.4;

export const BLACK = rgb(0, 0, 0);

export interface TextStyle {
  face: FontFace;
  /** Points. */
  size: number;
  color?: RGB;
  /** Extra space after every character (PDF Tc), points; negative tightens. */
  charSpacing?: number;
  /** Horizontal scaling in percent (PDF Tz): 100 is normal, 80 condenses. */
  horizontalScale?: number;
  /** Counter-clockwise rotation around (x, y), degrees. */
  rotate?: number;
}

const fontKeys = new WeakMap<PDFPage, Map<PDFFont, PDFName>>();

function fontKey(page: PDFPage, font: PDFFont): PDFName {
  let keys = fontKeys.get(page);
  if (!keys) {
    keys = new Map();
    fontKeys.set(page, keys);
  }
  let key = keys.get(font);
  if (!key) {
    key = page.node.newFontDictionary(font.name, font.ref);
    keys.set(font, key);
  }
  return key;
}

/**
 * Draws one line of text with its baseline starting at (x, y). The fonts must have been loaded for
 * the text (`DocumentFonts.load`). Consecutive characters of one embedded font share one `Tj`.
 */
export function drawText(
  page: PDFPage,
  fonts: DocumentFonts,
  text: string,
  x: number,
  y: number,
  style: TextStyle,
): void {
  if (text.length === 0) return;
  const color = style.color ?? BLACK;
  const angle = ((style.rotate ?? 0) * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const ops = [
    pushGraphicsState(),
    beginText(),
    setFillingRgbColor(color.red, color.green, color.blue),
    setCharacterSpacing(style.charSpacing ?? 0),
    setCharacterSqueeze(style.horizontalScale ?? 100),
    setTextMatrix(cos, sin, -sin, cos, x, y),
  ];
  for (const run of fonts.runs(style.face, text)) {
    ops.push(setFontAndSize(fontKey(page, run.font), style.size), showText(run.font.encodeText(run.text)));
  }
  ops.push(endText(), popGraphicsState());
  page.pushOperators(...ops);
}

/** Width of a line drawn with `drawText` and the same style, from the first glyph to the last. */
export function textWidth(fonts: DocumentFonts, text: string, style: TextStyle): number {
  const gaps = Math.max(0, [...text].length - 1);
  const natural = fonts.width(style.face, text, style.size);
  return ((natural + (style.charSpacing ?? 0) * gaps) * (style.horizontalScale ?? 100)) / 100;
}
