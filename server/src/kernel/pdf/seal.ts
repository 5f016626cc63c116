import {
  BlendMode,
  type PDFName,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  type RGB,
  rgb,
  setGraphicsState,
} from "pdf-lib";
import type { DocumentFonts } from "./fonts";
import { drawText, mm, textWidth } from "./text";

/** Official red (GB/T 9704 asks for red; #e60012 is the usual print red). */
export const SEAL_RED = rgb(0xe6 / 255, 0x00 / 255, 0x12 / 255);

export interface SealImage {
  /** The organisation, along the upper arc, e.g. "云溪区人民政府办公室". */
  name: string;
  /** Horizontal text under the star, e.g. "公文专用章". */
  bottomText?: string;
  /** Points; a district government's seal is 42–45 mm across. */
  diameter?: number;
  color?: RGB;
}

/** An ExtGState that multiplies, so text under the seal stays legible as on a stamped paper. */
function multiplyState(page: PDFPage): PDFName {
  const dict = page.doc.context.obj({ Type: "ExtGState", BM: BlendMode.Multiply });
  return page.node.newExtGState("GS", page.doc.context.register(dict));
}

/**
 * Draws a round official seal (公章) as vectors centred at (cx, cy): red ring, five-pointed star,
 * the name along the upper arc (characters upright to the rim, condensed as on real seals) and the
 * optional bottom text.
 */
export async function drawSeal(
  page: PDFPage,
  fonts: DocumentFonts,
  cx: number,
  cy: number,
  seal: SealImage,
): Promise<void> {
  const diameter = seal.diameter ?? mm(42);
  const color = seal.color ?? SEAL_RED;
  const radius = diameter / 2;
  const ring = diameter * 0.03;
  const name = [...seal.name.trim()];
  await fonts.load("serif-bold", seal.name + (seal.bottomText ?? ""));

  page.pushOperators(pushGraphicsState(), setGraphicsState(multiplyState(page)));

  page.drawCircle({ x: cx, y: cy, size: radius - ring / 2, borderWidth: ring, borderColor: color });

  // Five-pointed star, one point up; inner radius from the golden ratio of a regular star.
  const outer = diameter * 0.17;
  const inner = outer * 0.382;
  const points: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const a = Math.PI / 2 + (i * Math.PI) / 5;
    // SVG paths run y downwards.
    points.push(`${(r * Math.cos(a)).toFixed(3)} ${(-r * Math.sin(a)).toFixed(3)}`);
  }
  page.drawSvgPath(`M ${points.join(" L ")} Z`, { x: cx, y: cy, color, borderWidth: 0 });

  // The name along the upper arc: the more characters, the wider the arc (up to 250°); each one
  // condensed to fit its share of the arc at half its height.
  if (name.length > 0) {
    const span = Math.min(250, Math.max(150, 30 * name.length));
    const step = span / name.length;
    const size = diameter * (name.length <= 8 ? 0.18 : 0.16);
    const baseline = radius - ring - diameter * 0.035 - size * 0.88;
    const arc = ((step * Math.PI) / 180) * (baseline + size * 0.38);
    const natural = Math.max(...name.map((ch) => textWidth(fonts, ch, { face: "serif-bold", size })));
    const scale = Math.min(95, Math.max(50, ((arc * 0.9) / natural) * 100));
    name.forEach((ch, i) => {
      const theta = ((90 + span / 2 - (i + 0.5) * step) * Math.PI) / 180;
      const w = textWidth(fonts, ch, { face: "serif-bold", size, horizontalScale: scale });
      const x = cx + baseline * Math.cos(theta) - (w / 2) * Math.sin(theta);
      const y = cy + baseline * Math.sin(theta) + (w / 2) * Math.cos(theta);
      drawText(page, fonts, ch, x, y, {
        face: "serif-bold",
        size,
        color,
        horizontalScale: scale,
        rotate: (theta * 180) / Math.PI - 90,
      });
    });
  }

  if (seal.bottomText) {
    const size = diameter * 0.1;
    const style = { face: "serif-bold" as const, size, color, horizontalScale: 90 };
    const w = textWidth(fonts, seal.bottomText, style);
    drawText(page, fonts, seal.bottomText, cx - w / 2, cy - radius * 0.62, style);
  }

  page.pushOperators(popGraphicsState());
}
