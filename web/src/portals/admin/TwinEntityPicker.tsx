import { Select, Spin } from "antd";
import { useEffect, useMemo, useState } from "react";
import { errorMessage } from "../../shared/errors";
import { useRequest } from "../../shared/hooks/useRequest";
import { useT } from "../../shared/i18n";
import {
  getTwinEntities,
  listTwinEntityTypes,
  searchTwinEntities,
  TWIN_TYPES,
  type TwinEntity,
} from "../../shared/twin";
import { typeLabel } from "../operations/twin/twinFormat";
import { nameOf, searchEntities } from "../operations/twin/twinModel";

/** Entities asked for per search (by id and by name each): the search narrows, nobody scrolls 600 rows. */
const LIMIT = 50;
const TYPING_PAUSE_MS = 300;

interface Option {
  value: string;
  label: string;
  entity: TwinEntity;
}

interface Props {
  value?: string[];
  onChange?: (ids: string[]) => void;
  id?: string;
  testId?: string;
}

/**
 * Picks a device's entities from the twin: narrowed by type, searched on the server by part of an id or a
 * name, several at a time. A Form.Item control: its value is the entity ids.
 */
export function TwinEntityPicker({ value = [], onChange, id, testId = "twin-entity-picker" }: Props) {
  const t = useT();
  const [type, setType] = useState<string | null>(null);
  const [text, setText] = useState("");
  const [query, setQuery] = useState("");
  // Names of the entities seen, so a chosen one keeps its name when a later search no longer lists it.
  const [known, setKnown] = useState<ReadonlyMap<string, TwinEntity>>(new Map());

  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(text.trim()), TYPING_PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [text]);

  const types = useRequest((signal) => listTwinEntityTypes(signal), []);
  const allTypes = types.data ?? (types.error ? TWIN_TYPES : null);
  const search = useRequest(
    (signal) =>
      allTypes ? searchTwinEntities(type ? [type] : allTypes, query, LIMIT, signal) : Promise.resolve(null),
    [type, query, allTypes?.join(",")],
  );
  // The entities bound before this form opened, for their names.
  const [initial] = useState(value);
  const bound = useRequest((signal) => getTwinEntities(initial, signal), [initial]);

  useEffect(() => {
    const found = [...(search.data?.entities ?? []), ...(bound.data ?? [])];
    if (found.length === 0) return;
    setKnown((current) => {
      const next = new Map(current);
      for (const entity of found) next.set(entity.id, entity);
      return next;
    });
  }, [search.data, bound.data]);

  const options = useMemo<Option[]>(
    () =>
      searchEntities(search.data?.entities ?? [], query, null).map((entity) => ({
        value: entity.id,
        label: nameOf(entity),
        entity,
      })),
    [search.data, query],
  );
  const labelled = value.map((entityId) => {
    const entity = known.get(entityId);
    return { value: entityId, label: entity ? nameOf(entity) : entityId };
  });

  return (
    <div className="ff-entity-picker">
      <Select<string | null>
        allowClear
        value={type}
        onChange={(v) => setType(v ?? null)}
        placeholder={t("twin.list.allTypes")}
        aria-label={t("twinClients.entityType")}
        loading={types.loading}
        popupMatchSelectWidth={false}
        options={(allTypes ?? []).map((v) => ({ value: v, label: typeLabel(v, t) }))}
        className="ff-entity-picker-type"
        data-testid={`${testId}-type`}
      />
      <Select<{ value: string; label: string }[], Option>
        id={id}
        mode="multiple"
        labelInValue
        value={labelled}
        onChange={(picked) => onChange?.(picked.map((p) => p.value))}
        showSearch={{
          filterOption: false,
          onSearch: setText,
          searchValue: text,
          autoClearSearchValue: false,
        }}
        placeholder={t("twinClients.entitySearch")}
        options={options}
        optionRender={(option) => (
          <div className="ff-entity-option" data-testid={`${testId}-option-${option.value}`}>
            <span>
              {option.label}{" "}
              <span className="ff-muted ff-small">{typeLabel(option.data.entity.type, t)}</span>
            </span>
            <span className="ff-mono ff-muted ff-small ff-break">{option.value}</span>
          </div>
        )}
        notFoundContent={
          search.loading ? (
            <Spin size="small" />
          ) : (
            <span className="ff-muted">
              {search.error ? errorMessage(search.error, t) : t("twin.list.empty")}
            </span>
          )
        }
        popupRender={(menu) => (
          <>
            {menu}
            {search.data?.more && (
              <div className="ff-muted ff-small ff-entity-picker-more">{t("twinClients.entityMore")}</div>
            )}
          </>
        )}
        loading={search.loading}
        className="ff-entity-picker-search"
        data-testid={testId}
      />
    </div>
  );
}
