import type { zhCN } from "./zh-CN";

/** zh-CN defines the keys; every other dictionary must have exactly the same ones. */
export type MessageKey = keyof typeof zhCN;
export type Messages = { readonly [K in MessageKey]: string };
