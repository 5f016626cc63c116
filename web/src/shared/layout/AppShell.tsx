import { MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined } from "@ant-design/icons";
import { Button, Drawer, Layout, Menu } from "antd";
import { type ReactNode, useEffect, useState } from "react";
import { Link, Outlet, useLocation } from "react-router";
import { homePath, useMe } from "../auth";
import { BrandMark } from "../components/BrandMark";
import { LanguageSwitcher } from "../components/LanguageSwitcher";
import { UserMenu } from "../components/UserMenu";
import { useIsMobile, useMediaQuery } from "../hooks/useMediaQuery";
import { useT } from "../i18n";
import { navKeyOf, PORTALS, type PortalInfo, portalOfPath } from "../portals";
import { PortalSwitcher } from "./PortalSwitcher";

const { Header, Sider, Content, Footer } = Layout;

function PortalMenu({
  portal,
  pathname,
  onNavigate,
}: {
  portal: PortalInfo;
  pathname: string;
  onNavigate?: () => void;
}) {
  const t = useT();
  const me = useMe();
  const selected = navKeyOf(portal, pathname);
  // A page for some of the portal's roles only is not offered to the others.
  const items = portal.nav.filter((i) => !i.roles || i.roles.some((r) => me.roles.includes(r)));
  return (
    <Menu
      mode="inline"
      selectedKeys={selected ? [selected] : []}
      data-testid={`${portal.id}-nav`}
      items={items.map((item) => ({
        key: item.key,
        icon: item.icon,
        label: (
          <Link to={item.path} data-testid={`${portal.id}-nav-${item.key}`} onClick={onNavigate}>
            {t(item.label)}
          </Link>
        ),
      }))}
    />
  );
}

/** The signed-in frame: header with portal switcher, language and user menus; side menu or drawer. */
export function AppShell({ children }: { children?: ReactNode }) {
  const me = useMe();
  const t = useT();
  const { pathname } = useLocation();
  const mobile = useIsMobile();
  const narrow = useMediaQuery("(max-width: 1279.98px)");
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(false);
  const portalId = portalOfPath(pathname);
  const portal = portalId && me.portals.includes(portalId) ? PORTALS[portalId] : null;
  const showSider = !mobile && portal !== null && portal.nav.length > 1;

  // A route change closes the drawer.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation only
  useEffect(() => setDrawerOpen(false), [pathname]);

  return (
    <Layout className="ff-shell">
      <Header className="ff-header">
        {mobile && (
          <Button
            type="text"
            className="ff-header-button"
            icon={<MenuOutlined />}
            aria-label={t("header.openMenu")}
            data-testid="nav-drawer-toggle"
            onClick={() => setDrawerOpen(true)}
          />
        )}
        <Link to={homePath(me)} className="ff-brand" aria-label={t("app.name")}>
          <BrandMark />
          <span className="ff-brand-text">
            <span className="ff-brand-name">{narrow ? t("app.shortName") : t("app.brandName")}</span>
            {!narrow && <span className="ff-brand-sub">{t("app.brandSub")}</span>}
          </span>
        </Link>
        {!mobile && <PortalSwitcher current={portalId} layout="header" />}
        <div className="ff-header-spacer" />
        <LanguageSwitcher compact={narrow} />
        <UserMenu compact={mobile} />
      </Header>
      <div className="ff-header-accent" />
      <Layout hasSider={showSider}>
        {showSider && portal && (
          <Sider
            width={216}
            collapsedWidth={64}
            collapsible
            collapsed={collapsed}
            trigger={null}
            className="ff-sider"
            theme="light"
          >
            <div className="ff-sider-title">{collapsed ? portal.icon : t(portal.name)}</div>
            <PortalMenu portal={portal} pathname={pathname} />
            <Button
              type="text"
              className="ff-sider-toggle"
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              aria-label={collapsed ? t("header.expandMenu") : t("header.collapseMenu")}
              onClick={() => setCollapsed((c) => !c)}
            />
          </Sider>
        )}
        <Layout className="ff-main">
          <Content className={mobile ? "ff-content ff-content-mobile" : "ff-content"}>
            <div className="ff-content-inner">{children ?? <Outlet />}</div>
          </Content>
          <Footer className="ff-footer">{t("app.footer")}</Footer>
        </Layout>
      </Layout>
      {mobile && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={288}
          title={
            <span className="ff-drawer-title">
              <span className="ff-drawer-user">{me.displayName}</span>
              <span className="ff-drawer-meta">{me.department?.name ?? t(`userKind.${me.kind}`)}</span>
            </span>
          }
          styles={{ body: { padding: 0 } }}
          data-testid="nav-drawer"
        >
          <div className="ff-drawer-section">{t("header.portals")}</div>
          <PortalSwitcher current={portalId} layout="drawer" onNavigate={() => setDrawerOpen(false)} />
          {portal && portal.nav.length > 1 && (
            <>
              <div className="ff-drawer-section">{t(portal.name)}</div>
              <PortalMenu portal={portal} pathname={pathname} onNavigate={() => setDrawerOpen(false)} />
            </>
          )}
        </Drawer>
      )}
    </Layout>
  );
}
