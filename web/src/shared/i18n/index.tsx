import type { ConfigProviderProps } from "antd";
import antdEn from "antd/locale/en_US";
import antdZhCN from "antd/locale/zh_CN";
import antdZhHK from "antd/locale/zh_HK";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { en } from "./messages/en";
import type { MessageKey, Messages } from "./messages/types";
import { zhCN } from "./messages/zh-CN";
import { zhHK } from "./messages/zh-HK";

export type { MessageKey, Messages } from "./messages/types";

export type Locale = "zh-CN" | "zh-HK" | "en";
export const LOCALES: readonly Locale[] = ["zh-CN", "zh-HK", "en"];
export const DEFAULT_LOCALE: Locale = "zh-CN";

const STORAGE_KEY = "fourfold.locale";

const dictionaries: Record<Locale, Messages> = { "zh-CN": zhCN, "zh-HK": zhHK, en };

export const antdLocales: Record<Locale, NonNullable<ConfigProviderProps["locale"]>> = {
  "zh-CN": antdZhCN,
  "zh-HK": antdZhHK,
  en: antdEn,
};

/** Each language names itself, so the switcher reads the same in every locale. */
export const LOCALE_NAMES: Record<Locale, string> = {
  "zh-CN": "简体中文",
  "zh-HK": "繁體中文（香港）",
  en: "English",
};

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

function storedLocale(): Locale {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    if (isLocale(value)) return value;
  } catch {
    // storage may be unavailable (private mode); the default applies
  }
  return DEFAULT_LOCALE;
}

export function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

export function translator(locale: Locale): Translate {
  const messages = dictionaries[locale];
  return (key, vars) => interpolate(messages[key] ?? zhCN[key] ?? key, vars);
}

interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(storedLocale);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // ignore: the choice then lasts for this page only
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = translator(locale)("app.documentTitle");
  }, [locale]);

  const value = useMemo<I18nValue>(() => ({ locale, setLocale, t: translator(locale) }), [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n must be used inside <I18nProvider>");
  return value;
}

export function useT(): Translate {
  return useI18n().t;
}

export function useLocale(): Locale {
  return useI18n().locale;
}
