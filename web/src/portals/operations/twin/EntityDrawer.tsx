import { AimOutlined } from "@ant-design/icons";
import { Button, Descriptions, Drawer, Spin, Tag } from "antd";
import { isApiError } from "../../../shared/api";
import { ProblemAlert } from "../../../shared/components/ProblemAlert";
import { useRequest } from "../../../shared/hooks/useRequest";
import { type Locale, type Translate, useLocale, useT } from "../../../shared/i18n";
import {
  attributesOf,
  getTwinEntity,
  isSensorType,
  type NgsiAttribute,
  type NgsiEntity,
  SENSOR_READINGS,
} from "../../../shared/twin";
import { HistoryChart } from "./HistoryChart";
import { attributeLabel, attributeOrder, formatAttribute, formatNumber, typeLabel } from "./twinFormat";
import { LEVEL_COLORS, nameOf, type TwinModel, type ZoneView } from "./twinModel";

/** The drawer's width on a desktop, and the share of a phone's screen it takes as a bottom sheet. */
export const DRAWER_WIDTH = 420;
export const SHEET_SHARE = 0.55;

interface Props {
  id: string | null;
  model: TwinModel | null;
  /** Changes with every refresh of the map, so the drawer shows the same moment. */
  generation: number;
  mobile: boolean;
  onPick: (id: string) => void;
  onLocate: (id: string) => void;
  onClose: () => void;
}

/** The drawer of one entity: attributes with units, relationships, a zone's crowd load, a sensor's history. */
export function EntityDrawer({ id, model, generation, mobile, onPick, onLocate, onClose }: Props) {
  const t = useT();
  const listed = id ? model?.byId.get(id) : undefined;
  const title = listed ? nameOf(listed) : (id ?? "");
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      placement={mobile ? "bottom" : "right"}
      size={mobile ? `${SHEET_SHARE * 100}vh` : DRAWER_WIDTH}
      mask={false}
      getContainer={false}
      destroyOnHidden
      rootClassName="ff-twin-drawer"
      title={
        <span className="ff-twin-drawer-title" data-testid="twin-drawer-title">
          {listed && <Tag color="blue">{typeLabel(listed.type, t)}</Tag>}
          <span>{title}</span>
        </span>
      }
      extra={
        id && (
          <Button size="small" icon={<AimOutlined />} onClick={() => onLocate(id)} data-testid="twin-locate">
            {t("twin.drawer.locate")}
          </Button>
        )
      }
      data-testid="twin-drawer"
    >
      {id && <DrawerBody id={id} model={model} generation={generation} onPick={onPick} />}
    </Drawer>
  );
}

function DrawerBody({
  id,
  model,
  generation,
  onPick,
}: {
  id: string;
  model: TwinModel | null;
  generation: number;
  onPick: (id: string) => void;
}) {
  const t = useT();
  const locale = useLocale();
  const entity = useRequest((signal) => getTwinEntity(id, signal), [id, generation]);
  const data = entity.data?.id === id ? entity.data : undefined;

  if (!data) {
    if (entity.error) {
      const gone = isApiError(entity.error) && entity.error.status === 404;
      return gone ? (
        <div className="ff-muted" data-testid="twin-drawer-gone">
          {t("twin.drawer.gone")}
        </div>
      ) : (
        <ProblemAlert error={entity.error} onRetry={entity.reload} testId="twin-drawer-error" />
      );
    }
    return <Spin className="ff-twin-drawer-spin" />;
  }

  const attributes = attributesOf(data);
  const properties = attributes
    .filter(([name, a]) => a.type !== "Relationship" && name !== "name")
    .sort(([a], [b]) => attributeOrder(a) - attributeOrder(b));
  const relationships = attributes.filter(([, a]) => a.type === "Relationship");
  const zone = data.type === "Area" ? model?.zones.get(id) : undefined;
  const readings = isSensorType(data.type)
    ? SENSOR_READINGS[data.type].filter((r) => attributes.some(([name]) => name === r))
    : [];

  return (
    <div className="ff-twin-drawer-body" data-testid="twin-drawer-body" data-entity-id={id}>
      {zone && model && <CrowdSection zone={zone} model={model} onPick={onPick} t={t} locale={locale} />}
      <section>
        <h3 className="ff-twin-section-title">{t("twin.drawer.attributes")}</h3>
        <Descriptions
          column={1}
          size="small"
          bordered
          data-testid="twin-attrs"
          items={properties.map(([name, attr]) => ({
            key: name,
            label: attributeLabel(name, t),
            children: <AttributeValue name={name} attr={attr} t={t} locale={locale} />,
          }))}
        />
      </section>
      {relationships.length > 0 && (
        <section>
          <h3 className="ff-twin-section-title">{t("twin.drawer.relationships")}</h3>
          <Descriptions
            column={1}
            size="small"
            bordered
            data-testid="twin-relationships"
            items={relationships.map(([name, attr]) => ({
              key: name,
              label: attributeLabel(name, t),
              children: <RelationshipLinks name={name} attr={attr} model={model} onPick={onPick} />,
            }))}
          />
        </section>
      )}
      {readings.length > 0 && (
        <section>
          <h3 className="ff-twin-section-title">{t("twin.history.title")}</h3>
          <HistoryChart
            entityId={id}
            entityName={displayName(data)}
            readings={readings}
            generation={generation}
            units={Object.fromEntries(
              readings.map((r) => [r, attributes.find(([n]) => n === r)?.[1].unitCode]),
            )}
          />
        </section>
      )}
    </div>
  );
}

function displayName(entity: NgsiEntity): string {
  const name = (entity.name as NgsiAttribute | undefined)?.value;
  return typeof name === "string" ? name : entity.id;
}

function AttributeValue({
  name,
  attr,
  t,
  locale,
}: {
  name: string;
  attr: NgsiAttribute;
  t: Translate;
  locale: Locale;
}) {
  return (
    <span data-testid={`twin-attr-${name}`}>
      <span className="ff-twin-attr-value">{formatAttribute(name, attr, t, locale)}</span>
      {attr.observedAt && (
        <span className="ff-twin-attr-time ff-muted ff-small">
          {t("twin.drawer.observedAt", { time: new Date(attr.observedAt).toLocaleString(locale) })}
        </span>
      )}
    </span>
  );
}

function RelationshipLinks({
  name,
  attr,
  model,
  onPick,
}: {
  name: string;
  attr: NgsiAttribute;
  model: TwinModel | null;
  onPick: (id: string) => void;
}) {
  const targets = Array.isArray(attr.object) ? attr.object : attr.object ? [attr.object] : [];
  return (
    <span className="ff-tag-wrap">
      {targets.map((target) => {
        const known = model?.byId.get(target);
        return known ? (
          <button
            key={target}
            type="button"
            className="ff-link-button"
            onClick={() => onPick(target)}
            data-testid={`twin-rel-${name}`}
          >
            {nameOf(known)}
          </button>
        ) : (
          <span key={target} className="ff-mono ff-break" data-testid={`twin-rel-${name}`}>
            {target}
          </span>
        );
      })}
    </span>
  );
}

/** A zone's crowd load: the sum of its counters against its capacity, and the counters themselves. */
function CrowdSection({
  zone,
  model,
  onPick,
  t,
  locale,
}: {
  zone: ZoneView;
  model: TwinModel;
  onPick: (id: string) => void;
  t: Translate;
  locale: Locale;
}) {
  const counters = [...model.byId.values()].filter(
    (e) => e.type === "CrowdCounter" && (zone.category === "scenic" || e.refArea === zone.id),
  );
  const person = t("twin.unit.person");
  return (
    <section data-testid="twin-crowd">
      <h3 className="ff-twin-section-title">{t("twin.drawer.crowd")}</h3>
      {zone.load === null || !zone.level ? (
        <div className="ff-muted">{t("twin.drawer.noCounters")}</div>
      ) : (
        <div className="ff-twin-crowd">
          <div>
            <div className="ff-muted ff-small">{t("twin.drawer.crowdPeople")}</div>
            <div className="ff-twin-crowd-number" data-testid="twin-crowd-people">
              {formatNumber(zone.people, locale)} {person}
            </div>
            <div className="ff-muted ff-small">
              {t("twin.drawer.crowdCounters", { count: zone.counters })}
            </div>
          </div>
          <div>
            <div className="ff-muted ff-small">{t("twin.drawer.crowdLoad")}</div>
            <div
              className="ff-twin-crowd-number"
              style={{ color: LEVEL_COLORS[zone.level] }}
              data-testid="twin-crowd-load"
              data-level={zone.level}
            >
              {Math.round(zone.load * 100)}%
            </div>
            <Tag color={LEVEL_COLORS[zone.level]}>{t(`twin.level.${zone.level}`)}</Tag>
          </div>
        </div>
      )}
      {counters.length > 0 && (
        <ul className="ff-twin-counters">
          {counters.map((c) => (
            <li key={c.id}>
              <button type="button" className="ff-link-button" onClick={() => onPick(c.id)}>
                {nameOf(c)}
              </button>
              <span className="ff-muted">
                {typeof c.peopleCount === "number" ? `${formatNumber(c.peopleCount, locale)} ${person}` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
