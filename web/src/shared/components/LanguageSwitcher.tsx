import { GlobalOutlined } from "@ant-design/icons";
import { Button, Dropdown } from "antd";
import { LOCALE_NAMES, LOCALES, useI18n } from "../i18n";

const SHORT: Record<string, string> = { "zh-CN": "简", "zh-HK": "繁", en: "EN" };

/** Switches the interface language; the choice is kept in localStorage. */
export function LanguageSwitcher({
  tone = "dark",
  compact = false,
}: {
  tone?: "dark" | "light";
  compact?: boolean;
}) {
  const { locale, setLocale, t } = useI18n();
  return (
    <Dropdown
      trigger={["click"]}
      placement="bottomRight"
      menu={{
        selectable: true,
        selectedKeys: [locale],
        items: LOCALES.map((l) => ({
          key: l,
          label: (
            <span data-testid={`language-${l}`} lang={l}>
              {LOCALE_NAMES[l]}
            </span>
          ),
        })),
        onClick: ({ key }) => setLocale(key as (typeof LOCALES)[number]),
      }}
    >
      <Button
        type="text"
        data-testid="language-switcher"
        aria-label={t("header.language")}
        className={tone === "dark" ? "ff-header-button" : undefined}
        icon={<GlobalOutlined />}
      >
        {compact ? SHORT[locale] : LOCALE_NAMES[locale]}
      </Button>
    </Dropdown>
  );
}
