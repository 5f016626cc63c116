/** One run of a text diff: kept, inserted or deleted text. */
export interface DiffOp {
  op: "equal" | "insert" | "delete";
  text: string;
}

/**
 * Character diff of two texts (Myers' O(ND) algorithm), as track changes show it: what was kept,
 * deleted and inserted, in order. Common prefix and suffix are cut first, so the usual small edit of
 * a long body costs little; a very different pair falls back to "delete all, insert all" beyond
 * `maxCost` edits rather than burning CPU.
 */
export function diffText(before: string, after: string, maxCost = 4000): DiffOp[] {
  const a = Array.from(before);
  const b = Array.from(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: DiffOp[] = [];
  const push = (op: DiffOp["op"], text: string) => {
    if (!text) return;
    const last = ops[ops.length - 1];
    if (last?.op === op) last.text += text;
    else ops.push({ op, text });
  };
  push("equal", a.slice(0, start).join(""));
  const middle = myers(a.slice(start, endA), b.slice(start, endB), maxCost);
  for (const m of middle) push(m.op, m.text);
  push("equal", a.slice(endA).join(""));
  return ops;
}

function myers(a: string[], b: string[], maxCost: number): DiffOp[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) {
    return [
      ...(n ? [{ op: "delete" as const, text: a.join("") }] : []),
      ...(m ? [{ op: "insert" as const, text: b.join("") }] : []),
    ];
  }
  const max = Math.min(n + m, maxCost);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, offset, d);
    }
    v = next;
  }
  return [
    { op: "delete", text: a.join("") },
    { op: "insert", text: b.join("") },
  ];
}

function backtrack(trace: Int32Array[], a: string[], b: string[], offset: number, depth: number): DiffOp[] {
  const out: DiffOp[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = depth; d > 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push({ op: "equal", text: a[x - 1]! });
      x--;
      y--;
    }
    if (down) out.push({ op: "insert", text: b[prevY]! });
    else out.push({ op: "delete", text: a[prevX]! });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    out.push({ op: "equal", text: a[x - 1]! });
    x--;
    y--;
  }
  out.reverse();
  const merged: DiffOp[] = [];
  for (const o of out) {
    const prev = merged[merged.length - 1];
    if (prev?.op === o.op) prev.text += o.text;
    else merged.push({ ...o });
  }
  return merged;
}
