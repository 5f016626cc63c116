import { breakLines, breakOpportunities } from "../../../kernel/pdf";

/**
 * Breaks a 公文 title (GB/T 9704-2012 7.3.1: "回行时，要做到词意完整，排列对称，长短适宜"): as few lines
 * as fit, breaking where the words allow ("…关于|…", after "、" or a closing quote, before "关于")
 * and, among those, with lines of similar length. Returns [start, end) character ranges.
 */
export function titleLines(
  chars: string[],
  advances: number[],
  maxWidth: number,
  size: number,
): [number, number][] {
  const count = breakLines(chars, advances, maxWidth).length;
  if (count <= 1) return [[0, chars.length]];
  const text = chars.join("");
  // Character index → offset in the string, for the look-behind and look-ahead of the rules.
  const offsets: number[] = [];
  let offset = 0;
  for (const ch of chars) {
    offsets.push(offset);
    offset += ch.length;
  }
  offsets.push(offset);
  const breakCost = (i: number): number => {
    const before = text.slice(0, offsets[i]);
    const after = text.slice(offsets[i]);
    if (before.endsWith("关于") || after.startsWith("关于")) return 0;
    if (/[、”）》，]$/.test(before)) return 1;
    if (/[和及与暨]$/.test(before) || /^[和及与的]/.test(after)) return 3;
    return 20;
  };
  const cuts = [0, ...breakOpportunities(chars), chars.length];
  const prefix = [0];
  for (const a of advances) prefix.push(prefix[prefix.length - 1]! + a);
  const width = (a: number, b: number) => prefix[b]! - prefix[a]!;
  const average = prefix[chars.length]! / count;
  const lineCost = (a: number, b: number) => ((width(a, b) - average) / size) ** 2 * 0.3;

  // best[k].get(cut) = cheapest way to set chars [0, cut) in k lines, and where its last line began.
  const best: Map<number, { cost: number; from: number }>[] = [new Map([[0, { cost: 0, from: -1 }]])];
  for (let k = 1; k <= count; k++) {
    const layer = new Map<number, { cost: number; from: number }>();
    for (const [start, prev] of best[k - 1]!) {
      for (const end of cuts) {
        if (end <= start || width(start, end) > maxWidth + 0.01) continue;
        if (k === count && end !== chars.length) continue;
        const cost = prev.cost + lineCost(start, end) + (end === chars.length ? 0 : breakCost(end));
        const known = layer.get(end);
        if (!known || cost < known.cost) layer.set(end, { cost, from: start });
      }
    }
    best.push(layer);
  }
  const last = best[count]!.get(chars.length);
  if (!last) return breakLines(chars, advances, maxWidth).map((l) => [l.start, l.end]);
  const lines: [number, number][] = [];
  let end = chars.length;
  for (let k = count; k >= 1; k--) {
    const entry = best[k]!.get(end)!;
    lines.unshift([entry.from, end]);
    end = entry.from;
  }
  return lines;
}
