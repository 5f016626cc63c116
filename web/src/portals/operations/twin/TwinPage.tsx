import { BlockOutlined, SearchOutlined } from "@ant-design/icons";
import { Button, ConfigProvider, Drawer, Popover, Result, Spin, Tag, theme } from "antd";
import { useCallback, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { isApiError } from "../../../shared/api";
import { ProblemAlert } from "../../../shared/components/ProblemAlert";
import { useIsMobile } from "../../../shared/hooks/useMediaQuery";
import { useLocale, useT } from "../../../shared/i18n";
import { DRAWER_WIDTH, EntityDrawer, SHEET_SHARE } from "./EntityDrawer";
import { EntityPanel } from "./EntityPanel";
import { LayerSwitcher } from "./LayerSwitcher";
import { type FocusRequest, TwinMap } from "./TwinMap";
import { formatNumber } from "./twinFormat";
import { GROUPS, type Group, LEVEL_COLORS } from "./twinModel";
import { useTwinData } from "./useTwinData";
import "./twin.css";

/** Width of the desktop list panel, kept clear (with the drawer) of the entity the map flies to. */
const PANEL_WIDTH = 340;

/** The operations centre's dark look for everything on and over the map. */
const DARK = {
  algorithm: theme.darkAlgorithm,
  token: {
    colorPrimary: "#3d7bd9",
    colorInfo: "#3d7bd9",
    colorLink: "#69a6ff",
    colorTextBase: "#e6edf7",
    colorBgBase: "#0b1524",
    colorBgElevated: "#13223a",
    colorBgLayout: "#0b1524",
    colorBgContainer: "#0f1c30",
    colorBorder: "#2a3d5c",
    colorBorderSecondary: "#1f3049",
  },
};

/** 数字孪生: the scenic area's twin on a 3D map for the operations centre, refreshed every 10 s. */
export function TwinPage() {
  return (
    <ConfigProvider theme={DARK}>
      <TwinScreen />
    </ConfigProvider>
  );
}

function TwinScreen() {
  const t = useT();
  const locale = useLocale();
  const mobile = useIsMobile();
  const twin = useTwinData();
  const [params, setParams] = useSearchParams();
  // The selection lives in state and is mirrored in ?entity=: the router applies URL changes as a
  // transition, which waits behind the map's flight on a slow (software) renderer.
  const [selectedId, setSelectedId] = useState<string | null>(() => params.get("entity"));
  const [focus, setFocus] = useState<FocusRequest | null>(() =>
    selectedId ? { id: selectedId, nonce: 1 } : null,
  );
  const [visible, setVisible] = useState<Record<Group, boolean>>(
    () => Object.fromEntries(GROUPS.map((g) => [g, true])) as Record<Group, boolean>,
  );
  const [listOpen, setListOpen] = useState(false);

  const select = useCallback(
    (id: string | null) => {
      setSelectedId(id);
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (id) next.set("entity", id);
          else next.delete("entity");
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  const pick = useCallback(
    (id: string) => {
      select(id);
      setFocus({ id, nonce: Date.now() });
      setListOpen(false);
    },
    [select],
  );

  const padding = useMemo(
    () =>
      mobile
        ? { bottom: Math.round(window.innerHeight * SHEET_SHARE) }
        : { left: PANEL_WIDTH + 16, right: DRAWER_WIDTH },
    [mobile],
  );
  const overviewPadding = useMemo(
    () =>
      mobile
        ? { top: 110, bottom: 70, left: 12, right: 12 }
        : { top: 40, left: PANEL_WIDTH + 32, right: 200, bottom: 24 },
    [mobile],
  );

  const { model, entities, error } = twin;
  const forbidden = isApiError(error) && (error.status === 403 || error.status === 401);
  const scenic = model?.scenic ?? null;

  return (
    <div className={mobile ? "ff-twin ff-twin-mobile" : "ff-twin"} data-testid="twin-page">
      <TwinMap
        model={model}
        visible={visible}
        selectedId={selectedId}
        focus={focus}
        padding={padding}
        overviewPadding={overviewPadding}
        onPick={pick}
      />

      <header className="ff-twin-head" data-testid="twin-head" hidden={mobile && selectedId !== null}>
        <h1 className="ff-twin-title">
          {t("twin.title")}
          {scenic && <span className="ff-twin-title-place"> · {scenic.name}</span>}
        </h1>
        {model && (
          <div className="ff-twin-stats">
            {scenic && scenic.load !== null && scenic.level && (
              <>
                <span className="ff-twin-stat">
                  <span className="ff-twin-stat-label">{t("twin.stats.people")}</span>
                  <b data-testid="twin-stat-people">{formatNumber(scenic.people, locale)}</b>
                </span>
                <span className="ff-twin-stat">
                  <span className="ff-twin-stat-label">{t("twin.stats.load")}</span>
                  <b style={{ color: LEVEL_COLORS[scenic.level] }} data-testid="twin-stat-load">
                    {Math.round(scenic.load * 100)}%
                  </b>
                </span>
              </>
            )}
            <span className="ff-twin-stat">
              <span className="ff-twin-stat-label">{t("twin.stats.alarms")}</span>
              <b
                style={{ color: model.alarms ? LEVEL_COLORS.red : undefined }}
                data-testid="twin-stat-alarms"
              >
                {model.alarms}
              </b>
            </span>
            {!mobile && (
              <span className="ff-twin-stat">
                <span className="ff-twin-stat-label">{t("twin.stats.entities")}</span>
                <b>{entities?.length ?? 0}</b>
              </span>
            )}
          </div>
        )}
        {twin.updatedAt && (
          <div className="ff-twin-updated" data-testid="twin-updated" title={t("twin.refreshHint")}>
            {twin.refreshError ? (
              <Tag color="warning" data-testid="twin-refresh-failed">
                {t("twin.refreshFailed", { time: twin.updatedAt.toLocaleTimeString(locale) })}
              </Tag>
            ) : (
              <>
                <span className="ff-twin-live" aria-hidden />
                {t("twin.updatedAt", { time: twin.updatedAt.toLocaleTimeString(locale) })}
              </>
            )}
          </div>
        )}
      </header>

      {model && entities && !mobile && (
        <aside className="ff-twin-panel" aria-label={t("twin.list.title")} style={{ width: PANEL_WIDTH }}>
          <EntityPanel entities={entities} model={model} selectedId={selectedId} onPick={pick} />
        </aside>
      )}

      {model &&
        (mobile ? (
          <Popover
            trigger="click"
            placement="bottomRight"
            content={<LayerSwitcher visible={visible} onChange={setVisible} />}
          >
            <Button
              className="ff-twin-layers-toggle"
              icon={<BlockOutlined />}
              aria-label={t("twin.layers")}
              data-testid="twin-layers-toggle"
            />
          </Popover>
        ) : (
          <div className="ff-twin-layers">
            <LayerSwitcher visible={visible} onChange={setVisible} />
          </div>
        ))}

      {model && entities && mobile && (
        <>
          <div className="ff-twin-bottom-bar">
            <Button
              block
              size="large"
              icon={<SearchOutlined />}
              onClick={() => setListOpen(true)}
              data-testid="twin-list-open"
            >
              {t("twin.list.open")}
            </Button>
          </div>
          <Drawer
            open={listOpen}
            onClose={() => setListOpen(false)}
            placement="bottom"
            size="70vh"
            title={t("twin.list.title")}
            getContainer={false}
            rootClassName="ff-twin-sheet"
            data-testid="twin-list-sheet"
          >
            <EntityPanel entities={entities} model={model} selectedId={selectedId} onPick={pick} />
          </Drawer>
        </>
      )}

      <EntityDrawer
        id={selectedId}
        model={model}
        generation={twin.generation}
        mobile={mobile}
        onPick={pick}
        onLocate={(id) => setFocus({ id, nonce: Date.now() })}
        onClose={() => select(null)}
      />

      {!model && !error && (
        <div className="ff-twin-overlay" data-testid="twin-loading">
          <Spin />
          <span>{t("twin.loading")}</span>
        </div>
      )}
      {error !== null && (
        <div className="ff-twin-overlay">
          {forbidden ? (
            <Result
              status="403"
              title={t("twin.forbidden.title")}
              subTitle={t("twin.forbidden.detail")}
              className="ff-twin-forbidden"
              data-testid="twin-forbidden"
            />
          ) : (
            <ProblemAlert error={error} testId="twin-error" />
          )}
        </div>
      )}
    </div>
  );
}
