import { SearchOutlined } from "@ant-design/icons";
import { Empty, Input, Select } from "antd";
import { useDeferredValue, useMemo, useState } from "react";
import { useT } from "../../../shared/i18n";
import { TWIN_TYPES, type TwinEntity } from "../../../shared/twin";
import { typeLabel } from "./twinFormat";
import { LEVEL_COLORS, nameOf, pointLevel, searchEntities, type TwinModel } from "./twinModel";

/** More rows than this make the list slow to scroll and no easier to use: the search narrows it. */
const SHOWN = 100;

interface Props {
  entities: readonly TwinEntity[];
  model: TwinModel;
  selectedId: string | null;
  onPick: (id: string) => void;
}

/** The searchable list of entities: by name, filtered by type; a pick flies the map there. */
export function EntityPanel({ entities, model, selectedId, onPick }: Props) {
  const t = useT();
  const [query, setQuery] = useState("");
  const [type, setType] = useState<string | null>(null);
  const deferredQuery = useDeferredValue(query);
  const matches = useMemo(
    () => searchEntities(entities, deferredQuery, type),
    [entities, deferredQuery, type],
  );
  const shown = matches.slice(0, SHOWN);

  return (
    <div className="ff-twin-panel-body" data-testid="twin-panel">
      <div className="ff-twin-panel-filters">
        <Input
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t("twin.list.search")}
          aria-label={t("twin.list.search")}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="twin-search"
        />
        <Select
          allowClear
          value={type}
          onChange={(v) => setType(v ?? null)}
          placeholder={t("twin.list.allTypes")}
          aria-label={t("twin.list.allTypes")}
          data-testid="twin-type-filter"
          popupMatchSelectWidth={false}
          options={TWIN_TYPES.map((value) => ({ value, label: typeLabel(value, t) }))}
        />
      </div>
      <div className="ff-twin-list-meta ff-muted ff-small" data-testid="twin-list-count">
        {matches.length > SHOWN
          ? t("twin.list.more", { shown: SHOWN })
          : t("twin.list.count", { count: matches.length })}
      </div>
      {shown.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("twin.list.empty")} />
      ) : (
        <ul className="ff-twin-list" data-testid="twin-list">
          {shown.map((e) => {
            const level = e.type === "Area" ? model.zones.get(e.id)?.level : pointLevel(e, model.zones);
            return (
              <li key={e.id}>
                <button
                  type="button"
                  className={e.id === selectedId ? "ff-twin-item ff-twin-item-selected" : "ff-twin-item"}
                  onClick={() => onPick(e.id)}
                  data-testid={`twin-item-${e.id}`}
                  aria-current={e.id === selectedId ? "true" : undefined}
                >
                  <span
                    className="ff-twin-dot"
                    style={{ background: e.type === "Building" || !level ? "#8aa2c4" : LEVEL_COLORS[level] }}
                    aria-hidden
                  />
                  <span className="ff-twin-item-name">{nameOf(e)}</span>
                  <span className="ff-twin-item-type">{typeLabel(e.type, t)}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
