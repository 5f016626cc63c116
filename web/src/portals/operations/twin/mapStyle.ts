/**
 * The twin map's style: the offline base map shipped in basemap.json (no tiles, glyphs or sprites from
 * anywhere, so no text layers: labels are HTML markers) and the layers drawing the twin's entities, in a
 * calm dark operations-centre palette.
 */
import type { AddLayerObject, MapOptions } from "maplibre-gl";
import basemap from "./basemap.json";
import { type Group, LEVEL_COLORS, type MapFeatures } from "./twinModel";

type Style = Exclude<MapOptions["style"], string | undefined>;
/**
 * A layer as written here. MapLibre's expression types do not accept shared `as const` pieces, so the
 * layers are checked where it matters: MapLibre validates the style when the map loads and reports any
 * mistake as an error event (the e2e journey fails on it).
 */
interface Layer {
  id: string;
  type: "background" | "fill" | "line" | "circle" | "fill-extrusion";
  source?: string;
  filter?: unknown;
  layout?: Record<string, unknown>;
  paint: Record<string, unknown>;
}

/** The scenic area's box (demo-twin.ts SCENIC_BOX) and the base map's extent around it. */
export const SCENIC_BOUNDS: [[number, number], [number, number]] = [
  [113.318, 23.101],
  [113.331, 23.112],
];
const SCENIC_CENTER: [number, number] = [113.3245, 23.1065];
export const MAP_BOUNDS: [[number, number], [number, number]] = [
  [113.3, 23.088],
  [113.349, 23.127],
];
export const INITIAL_VIEW = { center: SCENIC_CENTER, zoom: 15.2, pitch: 50, bearing: -12 };

/** Labels of the base map, drawn as HTML markers (no glyphs offline). */
export const BASEMAP_LABELS: { text: string; at: [number, number]; kind: "water" | "road" }[] = [
  { text: "珠江", at: [113.3125, 23.1152], kind: "water" },
  { text: "珠江", at: [113.3365, 23.1152], kind: "water" },
  { text: "阅江路", at: [113.3128, 23.1006], kind: "road" },
  { text: "阅江路", at: [113.3362, 23.1006], kind: "road" },
  { text: "艺苑路", at: [113.3245, 23.0971], kind: "road" },
  { text: "滨江路", at: [113.3095, 23.111], kind: "road" },
];

export const PALETTE = {
  void: "#050b14",
  land: "#0b1524",
  block: "#101d30",
  blockEdge: "#1a2b44",
  green: "#0f2e2a",
  water: "#0d3a66",
  waterEdge: "#2a6cad",
  plaza: "#152438",
  road: "#2a4466",
  roadCasing: "#0d1a2b",
  path: "#2c4a6b",
  building: "#6f8fb5",
  buildingTop: "#9fb9d8",
  landmark: "#e8b04b",
  selected: "#ffffff",
  component: "#5cdbd3",
  camera: "#69b1ff",
} as const;

const red = LEVEL_COLORS.red;
const emptyFeatures: MapFeatures = { type: "FeatureCollection", features: [] };

/** The twin's GeoJSON sources, one per layer group; `id` is promoted so selection is a feature state. */
export const SOURCES: Record<Group, string> = {
  zones: "twin-zones",
  buildings: "twin-buildings",
  components: "twin-components",
  cameras: "twin-cameras",
  sensors: "twin-sensors",
};

/** The map layers of each group (the switcher hides and shows them together). */
export const GROUP_LAYERS: Record<Group, string[]> = {
  zones: ["twin-zones-fill", "twin-zones-line"],
  buildings: ["twin-buildings"],
  components: ["twin-components"],
  cameras: ["twin-cameras"],
  sensors: ["twin-sensors"],
};

/** Layers a click can pick, the topmost first. */
export const PICKABLE_LAYERS = [
  "twin-sensors",
  "twin-cameras",
  "twin-components",
  "twin-buildings",
  "twin-zones-fill",
];

const selected = ["boolean", ["feature-state", "selected"], false] as const;

const levelColor = (fallback: string) =>
  [
    "match",
    ["get", "level"],
    "green",
    LEVEL_COLORS.green,
    "yellow",
    LEVEL_COLORS.yellow,
    "orange",
    LEVEL_COLORS.orange,
    "red",
    LEVEL_COLORS.red,
    fallback,
  ] as const;

function baseLayers(): Layer[] {
  const kind = (k: string) => ["==", ["get", "kind"], k] as const;
  return [
    { id: "void", type: "background", paint: { "background-color": PALETTE.void } },
    {
      id: "land",
      type: "fill",
      source: "basemap",
      filter: kind("land"),
      paint: { "fill-color": PALETTE.land },
    },
    {
      id: "blocks",
      type: "fill",
      source: "basemap",
      filter: kind("block"),
      paint: { "fill-color": PALETTE.block, "fill-outline-color": PALETTE.blockEdge },
    },
    {
      id: "green",
      type: "fill",
      source: "basemap",
      filter: kind("green"),
      paint: { "fill-color": PALETTE.green },
    },
    {
      id: "plaza",
      type: "fill",
      source: "basemap",
      filter: kind("plaza"),
      paint: { "fill-color": PALETTE.plaza },
    },
    {
      id: "water",
      type: "fill",
      source: "basemap",
      filter: kind("water"),
      paint: { "fill-color": PALETTE.water, "fill-outline-color": PALETTE.waterEdge },
    },
    {
      id: "roads-casing",
      type: "line",
      source: "basemap",
      filter: ["in", ["get", "kind"], ["literal", ["primary", "secondary"]]],
      layout: { "line-cap": "round", "line-join": "round" },
      paint: {
        "line-color": PALETTE.roadCasing,
        "line-width": [
          "interpolate",
          ["exponential", 1.6],
          ["zoom"],
          13,
          ["match", ["get", "kind"], "primary", 4, 2],
          18,
          ["match", ["get", "kind"], "primary", 34, 18],
        ],
      },
    },
    {
      id: "roads",
      type: "line",
      source: "basemap",
      filter: ["in", ["get", "kind"], ["literal", ["primary", "secondary"]]],
      layout: { "line-cap": "round", "line-join": "round" },
      paint: {
        "line-color": PALETTE.road,
        "line-width": [
          "interpolate",
          ["exponential", 1.6],
          ["zoom"],
          13,
          ["match", ["get", "kind"], "primary", 2.5, 1],
          18,
          ["match", ["get", "kind"], "primary", 28, 14],
        ],
      },
    },
    {
      id: "paths",
      type: "line",
      source: "basemap",
      filter: kind("path"),
      layout: { "line-cap": "round", "line-join": "round" },
      paint: {
        "line-color": PALETTE.path,
        "line-dasharray": [2, 1.5],
        "line-width": ["interpolate", ["linear"], ["zoom"], 14, 1, 18, 4],
      },
    },
  ];
}

function twinLayers(): Layer[] {
  const circle = (id: string, source: string, normal: unknown, radius: [number, number]): Layer => ({
    id,
    type: "circle",
    source,
    paint: {
      "circle-color": normal,
      "circle-radius": [
        "interpolate",
        ["linear"],
        ["zoom"],
        14,
        ["case", selected, radius[0] + 3, radius[0]],
        18,
        ["case", selected, radius[1] + 4, radius[1]],
      ],
      "circle-stroke-color": ["case", selected, PALETTE.selected, "#0b1524"],
      "circle-stroke-width": ["case", selected, 2.5, 1],
      "circle-pitch-alignment": "map",
    },
  });
  return [
    {
      id: "twin-zones-fill",
      type: "fill",
      source: SOURCES.zones,
      filter: ["==", ["get", "category"], "zone"],
      paint: {
        "fill-color": levelColor("#8c8c8c"),
        "fill-opacity": ["case", selected, 0.34, 0.16],
      },
    },
    {
      id: "twin-zones-line",
      type: "line",
      source: SOURCES.zones,
      paint: {
        "line-color": [
          "case",
          selected,
          PALETTE.selected,
          ["==", ["get", "category"], "scenic"],
          PALETTE.landmark,
          levelColor("#8c8c8c"),
        ],
        "line-width": ["case", selected, 3, ["==", ["get", "category"], "scenic"], 2, 1.2],
        "line-opacity": 0.85,
      },
    },
    {
      id: "twin-buildings",
      type: "fill-extrusion",
      source: SOURCES.buildings,
      paint: {
        "fill-extrusion-color": [
          "case",
          selected,
          PALETTE.selected,
          ["==", ["get", "category"], "landmark"],
          PALETTE.landmark,
          ["interpolate", ["linear"], ["get", "height"], 10, PALETTE.building, 150, PALETTE.buildingTop],
        ],
        "fill-extrusion-height": ["get", "height"],
        "fill-extrusion-base": 0,
        "fill-extrusion-opacity": 0.92,
        "fill-extrusion-vertical-gradient": true,
      },
    },
    circle(
      "twin-components",
      SOURCES.components,
      ["case", ["==", ["get", "level"], "red"], red, PALETTE.component],
      [2, 6],
    ),
    circle(
      "twin-cameras",
      SOURCES.cameras,
      ["case", ["==", ["get", "level"], "red"], red, PALETTE.camera],
      [3.5, 8],
    ),
    circle("twin-sensors", SOURCES.sensors, levelColor(LEVEL_COLORS.green), [4.5, 10]),
  ];
}

export function twinStyle(): Style {
  const sources: Style["sources"] = {
    basemap: { type: "geojson", data: basemap as never },
  };
  for (const source of Object.values(SOURCES))
    sources[source] = { type: "geojson", data: emptyFeatures as never, promoteId: "id" };
  return {
    version: 8,
    name: "Fourfold twin (offline)",
    sources,
    layers: [...baseLayers(), ...twinLayers()] as unknown as AddLayerObject[] as Style["layers"],
    light: { anchor: "viewport", color: "#d6e4ff", intensity: 0.35, position: [1.2, 200, 40] },
  };
}
