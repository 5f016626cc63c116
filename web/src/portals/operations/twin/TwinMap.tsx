import "maplibre-gl/dist/maplibre-gl.css";
import {
  AttributionControl,
  type GeoJSONSource,
  type Map as MapLibre,
  Map as MapLibreMap,
  Marker,
  NavigationControl,
  type PaddingOptions,
  setWorkerUrl,
} from "maplibre-gl";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import { useEffect, useRef, useState } from "react";
import { useT } from "../../../shared/i18n";
import { isGeometry } from "../../../shared/twin";
import {
  BASEMAP_LABELS,
  GROUP_LAYERS,
  INITIAL_VIEW,
  MAP_BOUNDS,
  PICKABLE_LAYERS,
  SCENIC_BOUNDS,
  SOURCES,
  twinStyle,
} from "./mapStyle";
import { centerOf, GROUPS, type Group, LEVEL_COLORS, type TwinModel } from "./twinModel";

// Vite ships the worker as a file of its own; MapLibre would look for it beside its own module otherwise.
setWorkerUrl(workerUrl);

export interface FocusRequest {
  id: string;
  /** A new number for each request, so picking the same entity again flies there again. */
  nonce: number;
}

interface Props {
  model: TwinModel | null;
  visible: Record<Group, boolean>;
  selectedId: string | null;
  focus: FocusRequest | null;
  /** Room the panels take over the map, kept clear when flying to an entity. */
  padding: Partial<PaddingOptions>;
  /** Room kept clear when the map first shows the whole scenic area. */
  overviewPadding: Partial<PaddingOptions>;
  onPick: (id: string) => void;
}

/** The zoom an entity is shown at: a zone whole, a building with its top, a device up close. */
function zoomFor(type: string, category: unknown, height: unknown): number {
  if (type === "Area") return category === "scenic" ? 15.2 : 16.2;
  if (type === "Building") return typeof height === "number" && height > 200 ? 15.3 : 16.6;
  return 16.6;
}

/** The MapLibre map: offline base map, the twin's layers, zone labels; picks and flies on request. */
export function TwinMap({ model, visible, selectedId, focus, padding, overviewPadding, onPick }: Props) {
  const t = useT();
  const host = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibre | null>(null);
  const zoneMarkers = useRef(new Map<string, { marker: Marker; element: HTMLDivElement }>());
  const [loaded, setLoaded] = useState(false);
  const [failed, setFailed] = useState(false);
  const pick = useRef(onPick);
  pick.current = onPick;
  const paddingRef = useRef(padding);
  paddingRef.current = padding;
  const overviewRef = useRef(overviewPadding);
  overviewRef.current = overviewPadding;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is created once; t only names controls
  useEffect(() => {
    if (!host.current) return;
    let map: MapLibre;
    try {
      map = new MapLibreMap({
        container: host.current,
        style: twinStyle(),
        ...INITIAL_VIEW,
        maxBounds: MAP_BOUNDS,
        minZoom: 13.5,
        maxZoom: 19.5,
        maxPitch: 70,
        attributionControl: false,
      });
    } catch {
      setFailed(true); // no WebGL: the list and the drawer still work
      return;
    }
    mapRef.current = map;
    map.addControl(new NavigationControl({ visualizePitch: true }), "bottom-right");
    map.addControl(
      new AttributionControl({ compact: true, customAttribution: t("twin.map.attribution") }),
      "bottom-right",
    );
    for (const label of BASEMAP_LABELS) {
      const element = document.createElement("div");
      element.className = `ff-twin-geo-label ff-twin-geo-label-${label.kind}`;
      element.textContent = label.text;
      new Marker({ element, pitchAlignment: "viewport", rotationAlignment: "viewport" })
        .setLngLat(label.at)
        .addTo(map);
    }
    map.on("load", () => {
      map.fitBounds(SCENIC_BOUNDS, {
        padding: { top: 0, left: 0, right: 0, bottom: 0, ...overviewRef.current },
        pitch: INITIAL_VIEW.pitch,
        bearing: INITIAL_VIEW.bearing,
        duration: 0,
      });
      setLoaded(true);
    });
    map.on("click", (e) => {
      const layers = PICKABLE_LAYERS.filter(
        (l) => map.getLayer(l) && map.getLayoutProperty(l, "visibility") !== "none",
      );
      const hit = map.queryRenderedFeatures(e.point, { layers })[0];
      const id = hit?.properties?.id;
      if (typeof id === "string") pick.current(id);
    });
    map.on("mousemove", (e) => {
      const layers = PICKABLE_LAYERS.filter((l) => map.getLayer(l));
      const hit = map.queryRenderedFeatures(e.point, { layers }).length > 0;
      map.getCanvas().style.cursor = hit ? "pointer" : "";
    });
    // What the map shows, for tests and for people debugging a blank map.
    map.on("idle", () => {
      if (!host.current) return;
      const layers = PICKABLE_LAYERS.filter((l) => map.getLayer(l));
      host.current.dataset.rendered = String(map.queryRenderedFeatures({ layers }).length);
      host.current.dataset.zoom = map.getZoom().toFixed(1);
    });
    const markers = zoneMarkers.current;
    return () => {
      markers.clear();
      map.remove();
      mapRef.current = null;
    };
  }, []);

  // The twin's features, on every refresh.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded || !model) return;
    for (const group of GROUPS)
      map.getSource<GeoJSONSource>(SOURCES[group])?.setData(model.layers[group] as never);
    if (host.current) host.current.dataset.ready = "true";

    // Zone labels: name and crowd load, as HTML (the offline style has no glyphs for text layers).
    const seen = new Set<string>();
    for (const zone of model.zones.values()) {
      if (zone.category !== "zone" || !zone.geometry) continue;
      const at = centerOf(zone.geometry);
      if (!at) continue;
      seen.add(zone.id);
      let entry = zoneMarkers.current.get(zone.id);
      if (!entry) {
        const element = document.createElement("div");
        element.className = "ff-twin-zone-label";
        element.dataset.testid = `twin-zone-label-${zone.id}`;
        const marker = new Marker({ element, pitchAlignment: "viewport", rotationAlignment: "viewport" })
          .setLngLat(at)
          .addTo(map);
        entry = { marker, element };
        zoneMarkers.current.set(zone.id, entry);
      }
      entry.element.replaceChildren();
      const name = document.createElement("span");
      name.textContent = zone.name;
      entry.element.append(name);
      if (zone.load !== null && zone.level) {
        const load = document.createElement("b");
        load.textContent = `${Math.round(zone.load * 100)}%`;
        load.style.color = LEVEL_COLORS[zone.level];
        entry.element.append(load);
      }
    }
    for (const [id, entry] of zoneMarkers.current) {
      if (seen.has(id)) continue;
      entry.marker.remove();
      zoneMarkers.current.delete(id);
    }
  }, [loaded, model]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    for (const group of GROUPS)
      for (const layer of GROUP_LAYERS[group])
        map.setLayoutProperty(layer, "visibility", visible[group] ? "visible" : "none");
    for (const { element } of zoneMarkers.current.values())
      element.style.display = visible.zones ? "" : "none";
  }, [loaded, visible]);

  // The selection is a feature state, so it survives the refreshes' setData.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded || !selectedId || !model) return;
    const entity = model.byId.get(selectedId);
    const group = GROUPS.find((g) => model.layers[g].features.some((f) => f.properties.id === selectedId));
    if (!entity || !group) return;
    const target = { source: SOURCES[group], id: selectedId };
    map.setFeatureState(target, { selected: true });
    return () => {
      if (mapRef.current) map.removeFeatureState(target, "selected");
    };
  }, [loaded, selectedId, model]);

  // Each request flies once: refreshes bring a new model but must not pull the camera back.
  const flown = useRef(0);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded || !focus || !model || focus.nonce === flown.current) return;
    const entity = model.byId.get(focus.id);
    if (!entity || !isGeometry(entity.location)) return;
    const center = centerOf(entity.location);
    if (!center) return;
    flown.current = focus.nonce;
    // A phone shows a quarter of a desktop's ground at the same zoom: step back so the context stays.
    const narrow = map.getContainer().clientWidth < 600;
    map.flyTo({
      center,
      zoom: zoomFor(entity.type, entity.category, entity.height) - (narrow ? 0.8 : 0),
      pitch: INITIAL_VIEW.pitch,
      padding: { top: 0, left: 0, right: 0, bottom: 0, ...paddingRef.current },
      duration: 1200,
      essential: true,
    });
  }, [loaded, focus, model]);

  return (
    <div className="ff-twin-map-wrap">
      <div
        ref={host}
        className="ff-twin-map"
        data-testid="twin-map"
        role="application"
        aria-label={t("twin.map.label")}
      />
      {failed && (
        <div className="ff-twin-map-failed" data-testid="twin-map-failed">
          {t("twin.map.noWebgl")}
        </div>
      )}
    </div>
  );
}
