import { describe, expect, it } from "vitest";
import { WriteBatcher } from "./batcher";

describe("group commit", () => {
  it("writes requests that arrive together in one flush, each getting its own result", async () => {
    const flushes: number[][] = [];
    const batcher = new WriteBatcher<number, number>(
      async (items) => {
        flushes.push(items);
        return items.map((i) => i * 10);
      },
      { maxBatch: 100, concurrency: 1 },
    );
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.submit(i)));
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(flushes).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
  });

  it("keeps batches within maxBatch and takes what queued during a flush into the next", async () => {
    const sizes: number[] = [];
    const batcher = new WriteBatcher<number, number>(
      async (items) => {
        sizes.push(items.length);
        await new Promise((r) => setTimeout(r, 5));
        return items;
      },
      { maxBatch: 4, concurrency: 1 },
    );
    const first = Array.from({ length: 6 }, (_, i) => batcher.submit(i));
    await new Promise((r) => setTimeout(r, 1));
    const later = Array.from({ length: 3 }, (_, i) => batcher.submit(100 + i));
    await Promise.all([...first, ...later]);
    expect(sizes.every((s) => s <= 4)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(9);
    expect(sizes.length).toBeLessThan(9);
  });

  it("retries a failed batch item by item, so one bad item fails only itself", async () => {
    const batcher = new WriteBatcher<number, string>(
      async (items) => {
        if (items.includes(3)) throw new Error(items.length === 1 ? "item 3 is bad" : "batch failed");
        return items.map(String);
      },
      { maxBatch: 100, concurrency: 1 },
    );
    const settled = await Promise.allSettled([1, 2, 3, 4].map((i) => batcher.submit(i)));
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect((settled[2] as PromiseRejectedResult).reason.message).toBe("item 3 is bad");
  });
});
