import woff2 from "wawoff2";

/**
 * WOFF2 → TrueType with wawoff2 (Google's decoder in WebAssembly). Its result is a view into the
 * WebAssembly heap that the next call overwrites (or detaches, when the heap grows), so calls run one
 * at a time and each result is copied out before the next call starts.
 */
let queue: Promise<unknown> = Promise.resolve();

export function woff2ToSfnt(data: Uint8Array): Promise<Uint8Array> {
  const result = queue.then(async () => (await woff2.decompress(data)).slice());
  queue = result.catch(() => undefined);
  return result;
}
