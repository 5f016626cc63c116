import type { ThemeConfig } from "antd";
import type { Locale } from "./i18n";

/** Restrained government palette: a deep administrative blue with a red accent used sparingly. */
export const palette = {
  blue: "#0f4c9c",
  blueDeep: "#0a3470",
  blueInk: "#082a5c",
  red: "#c8102e",
  gold: "#b8860b",
  surface: "#f3f5f9",
  text: "#1f2937",
  muted: "#5b6577",
  border: "#dfe4ec",
} as const;

const FONT_FALLBACK =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export const fontFamilies: Record<Locale, string> = {
  "zh-CN": `${FONT_FALLBACK.split(", ").slice(0, 2).join(", ")}, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "Segoe UI", Roboto, Arial, sans-serif`,
  "zh-HK": `${FONT_FALLBACK.split(", ").slice(0, 2).join(", ")}, "PingFang HK", "PingFang TC", "Microsoft JhengHei", "Noto Sans CJK HK", "Noto Sans CJK TC", "Source Han Sans HC", "Segoe UI", Roboto, Arial, sans-serif`,
  en: `${FONT_FALLBACK}, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"`,
};

export function themeFor(locale: Locale): ThemeConfig {
  return {
    token: {
      colorPrimary: palette.blue,
      colorInfo: palette.blue,
      colorError: palette.red,
      colorLink: palette.blue,
      colorTextBase: palette.text,
      colorBgLayout: palette.surface,
      colorBorderSecondary: "#e8ecf2",
      borderRadius: 4,
      fontFamily: fontFamilies[locale],
      fontSize: 14,
      wireframe: false,
    },
    components: {
      Layout: {
        headerBg: palette.blueDeep,
        headerHeight: 60,
        headerPadding: "0 20px",
        siderBg: "#ffffff",
        bodyBg: palette.surface,
        footerBg: "transparent",
      },
      Menu: {
        itemSelectedBg: "#e8f0fb",
        itemSelectedColor: palette.blue,
        itemBorderRadius: 4,
      },
      Card: { headerFontSize: 15 },
      Tree: { nodeSelectedBg: "#dce8f8", nodeHoverBg: "#f0f4fa" },
      Table: { headerBg: "#f5f7fb", headerColor: palette.text },
    },
  };
}
