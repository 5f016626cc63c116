import { Checkbox } from "antd";
import { useT } from "../../../shared/i18n";
import { PALETTE } from "./mapStyle";
import { GROUP_KEYS } from "./twinFormat";
import { GROUPS, type Group, LEVEL_COLORS, LEVELS } from "./twinModel";

const SWATCHES: Record<Group, string> = {
  buildings: PALETTE.building,
  components: PALETTE.component,
  cameras: PALETTE.camera,
  sensors: LEVEL_COLORS.green,
  zones: LEVEL_COLORS.yellow,
};

interface Props {
  visible: Record<Group, boolean>;
  onChange: (visible: Record<Group, boolean>) => void;
}

/** 建筑 / 部件 / 摄像机 / 传感器 / 区域 on and off, and what the colours mean. */
export function LayerSwitcher({ visible, onChange }: Props) {
  const t = useT();
  return (
    <div className="ff-twin-layer-switcher" data-testid="twin-layers">
      <div className="ff-twin-box-title">{t("twin.layers")}</div>
      {GROUPS.map((group) => (
        <Checkbox
          key={group}
          checked={visible[group]}
          onChange={(e) => onChange({ ...visible, [group]: e.target.checked })}
          data-testid={`twin-layer-${group}`}
        >
          <span className="ff-twin-swatch" style={{ background: SWATCHES[group] }} aria-hidden />
          {t(GROUP_KEYS[group])}
        </Checkbox>
      ))}
      <div className="ff-twin-box-title ff-twin-legend-title">{t("twin.legend.title")}</div>
      <ul className="ff-twin-legend">
        {LEVELS.map((level) => (
          <li key={level}>
            <span className="ff-twin-swatch" style={{ background: LEVEL_COLORS[level] }} aria-hidden />
            {t(`twin.legend.${level}`)}
          </li>
        ))}
        <li>
          <span
            className="ff-twin-swatch ff-twin-swatch-dot"
            style={{ background: LEVEL_COLORS.red }}
            aria-hidden
          />
          {t("twin.legend.alarm")}
        </li>
      </ul>
    </div>
  );
}
