import type { Mask } from "../catalog/catalog.types";

/**
 * How shared values are masked for a consumer not granted them in clear (GB/T 35273 去标识化 style):
 * 身份证号 440105********1234, 手机号 138****5678, 姓名 张*明. Core-grade items are always masked.
 */
const stars = (n: number) => "*".repeat(Math.max(0, n));

export function maskValue(mask: Mask, value: unknown): unknown {
  if (value === null || value === undefined || mask === "none") return value;
  const text = String(value);
  const chars = Array.from(text);
  switch (mask) {
    case "id":
      return chars.length <= 10
        ? stars(chars.length)
        : chars.slice(0, 6).join("") + stars(chars.length - 10) + chars.slice(-4).join("");
    case "phone":
      return chars.length <= 7
        ? stars(chars.length)
        : chars.slice(0, 3).join("") + stars(chars.length - 7) + chars.slice(-4).join("");
    case "name":
      if (chars.length <= 1) return stars(chars.length);
      if (chars.length === 2) return `${chars[0]}*`;
      return chars[0] + stars(chars.length - 2) + chars[chars.length - 1];
    case "address":
      // Keep the district and street part, hide the number, building and room.
      return chars.length <= 6
        ? stars(chars.length)
        : chars.slice(0, Math.min(9, Math.ceil(chars.length / 2))).join("") + "****";
    case "uscc":
      return chars.length <= 8 ? stars(chars.length) : chars.slice(0, 8).join("") + stars(chars.length - 8);
    case "all":
      return "******";
  }
}
