declare module "wawoff2" {
  /** WOFF2 → TrueType/OpenType (Google's woff2 decoder compiled to WebAssembly). */
  export function decompress(data: Uint8Array): Promise<Uint8Array>;
  export function compress(data: Uint8Array): Promise<Uint8Array>;
  const woff2: { decompress: typeof decompress; compress: typeof compress };
  export default woff2;
}
