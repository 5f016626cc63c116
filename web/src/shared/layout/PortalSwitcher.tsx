import { Link } from "react-router";
import { portalsOf, useMe } from "../auth";
import { useT } from "../i18n";
import { PORTALS } from "../portals";
import type { PortalId } from "../types";

/** Links to the portals the user may enter; only those in `me.portals` are shown. */
export function PortalSwitcher({
  current,
  layout,
  onNavigate,
}: {
  current: PortalId | null;
  layout: "header" | "drawer";
  onNavigate?: () => void;
}) {
  const me = useMe();
  const t = useT();
  const portals = portalsOf(me);
  if (portals.length === 0) return null;
  return (
    <nav
      className={layout === "header" ? "ff-portal-switcher" : "ff-portal-list"}
      aria-label={t("header.portals")}
      data-testid="portal-switcher"
    >
      {portals.map((id) => {
        const info = PORTALS[id];
        const active = id === current;
        return (
          <Link
            key={id}
            to={`/${id}`}
            data-testid={`portal-switch-${id}`}
            aria-current={active ? "page" : undefined}
            className={active ? "ff-portal-link ff-portal-link-active" : "ff-portal-link"}
            onClick={onNavigate}
          >
            <span className="ff-portal-icon">{info.icon}</span>
            <span>{t(info.name)}</span>
          </Link>
        );
      })}
    </nav>
  );
}
